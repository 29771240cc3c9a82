// The EventStoreDB projection language, run locally by Chronoscope's JsReducer (QJSEngine) and, unchanged,
// by bench/fold_node.js (Node.js), so both engines do exactly the same work per event.
//
// The host evaluates this file, then calls __chronoscope.create(userFileName) to get a runtime, evaluates
// the user's projection source (which calls the globals installed below), then calls rt.finishDefinition().
// Events arrive in batches: one string holding every text field of every event back to back, plus a
// Float64Array with kStride numbers per event (see foldBatch). The dispatch loop runs here, in JavaScript,
// so crossing the host/engine boundary costs one call per batch, not one per event.
var __chronoscope = (function (global) {
    'use strict';

    // The runtime's own tools, taken before any projection runs: a projection may replace the realm's
    // (Array.prototype.push, JSON.stringify, …), and its errors, emits and state must still be told right.
    var jsonParse = JSON.parse;
    var jsonStringify = JSON.stringify;
    function append(list, item) { list[list.length] = item; }

    var kStride = 10; // offset, lenType, lenStream, lenData, lenMeta, lenLink (-1: none), lenId, seq, index, flags
    var kFlagJson = 1;

    function parseOrNull(text) {
        if (text === null || text === undefined || text.length === 0)
            return null;
        try {
            return jsonParse(text);
        } catch (err) {
            return null;
        }
    }

    // The `e` argument of every handler. Metadata, link metadata and the event id stay as offsets into the
    // batch text until a handler reads them: most handlers never do, and every string costs an allocation.
    function Envelope(type, stream, seq, bodyRaw, body, isJson, src, mo, ml, lo, ll, io, il, index) {
        this.eventType = type;
        this.streamId = stream;
        this.sequenceNumber = seq;
        this.bodyRaw = bodyRaw;
        this.body = body;
        this.data = body;
        this.isJson = isJson;
        this.partition = '';
        this.index = index;
        this._src = src;
        this._mo = mo;
        this._ml = ml;
        this._lo = lo;
        this._ll = ll;
        this._io = io;
        this._il = il;
        this._metadata = undefined;
        this._linkMetadata = undefined;
    }
    Object.defineProperty(Envelope.prototype, 'metadataRaw', {
        get: function () { return this._src.substr(this._mo, this._ml); },
    });
    Object.defineProperty(Envelope.prototype, 'linkMetadataRaw', {
        get: function () { return this._ll < 0 ? null : this._src.substr(this._lo, this._ll); },
    });
    Object.defineProperty(Envelope.prototype, 'eventId', {
        get: function () { return this._src.substr(this._io, this._il); },
    });
    Object.defineProperty(Envelope.prototype, 'metadata', {
        get: function () {
            if (this._metadata === undefined)
                this._metadata = parseOrNull(this.metadataRaw);
            return this._metadata;
        },
    });
    Object.defineProperty(Envelope.prototype, 'linkMetadata', {
        get: function () {
            if (this._linkMetadata === undefined)
                this._linkMetadata = parseOrNull(this.linkMetadataRaw);
            return this._linkMetadata;
        },
    });
    Object.defineProperty(Envelope.prototype, 'category', {
        get: function () {
            var dash = this.streamId.indexOf('-');
            return dash < 0 ? null : this.streamId.substring(0, dash);
        },
    });

    function errorText(err) {
        if (err && typeof err === 'object' && err.message !== undefined)
            return (err.name ? err.name + ': ' : '') + err.message;
        return 'uncaught exception: ' + String(err);
    }

    // The line of the innermost stack frame in `file` (V4: "fn@file:name:12", V8: "at fn (name:12:5)").
    function errorLine(err, file) {
        if (!err || typeof err !== 'object')
            return -1;
        var stack = typeof err.stack === 'string' ? err.stack : '';
        var lines = stack.split('\n');
        for (var i = 0; i < lines.length; ++i) {
            var at = lines[i].lastIndexOf(file + ':');
            if (at >= 0) {
                var n = parseInt(lines[i].substring(at + file.length + 1), 10);
                if (n > 0)
                    return n;
            }
        }
        if (typeof err.lineNumber === 'number' && err.fileName !== undefined
            && String(err.fileName).indexOf(file) >= 0)
            return err.lineNumber;
        return -1;
    }

    function Runtime(userFile) {
        this.userFile = userFile;
        this.sources = { allStreams: false, categories: [], streams: [] };
        this.handlers = null;
        this.anyHandler = null;
        this.byStream = false;
        this.partitionFn = null;
        this.outputState = false;
        this.transforms = [];
        this.options = {};
        this.invariants = [];
        this.maxEmitted = 100000;
        this.resetState();
    }

    Runtime.prototype.resetState = function () {
        this.state = undefined;
        this.partitions = null;
        this.shared = undefined;
        this.emitted = [];
        this.emittedDropped = 0;
        this.logs = [];
        this.current = -1;
        this.pos = 0;
        this.trial = null;
    };

    // The globals a projection source calls. Each returns the chain object of the real projection API.
    Runtime.prototype.installGlobals = function () {
        var rt = this;
        var chain = {
            when: function (handlers) {
                if (handlers === null || typeof handlers !== 'object')
                    throw new TypeError('when() expects an object of handlers');
                rt.handlers = handlers;
                rt.anyHandler = typeof handlers.$any === 'function' ? handlers.$any : null;
                return chain;
            },
            foreachStream: function () { rt.byStream = true; return chain; },
            partitionBy: function (fn) {
                if (typeof fn !== 'function')
                    throw new TypeError('partitionBy() expects a function');
                rt.partitionFn = fn;
                return chain;
            },
            outputState: function () { rt.outputState = true; return chain; },
            outputTo: function (stream) { rt.options.resultStreamName = stream; return chain; },
            transformBy: function (fn) { append(rt.transforms, { map: fn }); return chain; },
            filterBy: function (fn) { append(rt.transforms, { filter: fn }); return chain; },
            $defines_state_transform: function () { return chain; },
        };
        function names(args) {
            var list = args.length === 1 && Array.isArray(args[0]) ? args[0] : Array.prototype.slice.call(args);
            return list.map(function (s) { return String(s); });
        }
        global.fromAll = function () { rt.sources.allStreams = true; return chain; };
        global.fromStream = function (s) { append(rt.sources.streams, String(s)); return chain; };
        global.fromStreams = function () { rt.sources.streams = rt.sources.streams.concat(names(arguments)); return chain; };
        global.fromCategory = function (c) { append(rt.sources.categories, String(c)); return chain; };
        global.fromCategories = function () {
            rt.sources.categories = rt.sources.categories.concat(names(arguments));
            return chain;
        };
        global.fromStreamsMatching = function () {
            throw new Error('fromStreamsMatching() is not supported (deprecated in EventStoreDB); use fromAll() with a filter');
        };
        global.options = function (o) { if (o && typeof o === 'object') rt.options = o; };
        global.emit = function (stream, type, body, metadata) {
            rt.record({ kind: 'emit', streamId: String(stream), eventType: String(type), body: body, metadata: metadata });
        };
        global.linkTo = function (stream, event, metadata) {
            rt.record({ kind: 'linkTo', streamId: String(stream), target: event ? event.sequenceNumber + '@' + event.streamId : null,
                        metadata: metadata });
        };
        global.copyTo = function (stream, event, metadata) {
            rt.record({ kind: 'copyTo', streamId: String(stream), eventType: event ? event.eventType : null,
                        body: event ? event.body : null, metadata: metadata });
        };
        global.linkStreamTo = function (stream, linkedStream, metadata) {
            rt.record({ kind: 'linkStreamTo', streamId: String(stream), target: String(linkedStream), metadata: metadata });
        };
        global.log = function () {
            if (rt.logs.length < 1000)
                append(rt.logs, Array.prototype.slice.call(arguments).map(String).join(' '));
        };
    };

    Runtime.prototype.record = function (entry) {
        if (this.emitted.length >= this.maxEmitted) {
            ++this.emittedDropped;
            return;
        }
        entry.causedBy = this.current;
        // Snapshot now: the projection may mutate the objects after emitting them.
        if (entry.body !== undefined)
            entry.body = jsonParse(jsonStringify(entry.body === undefined ? null : entry.body));
        if (entry.metadata !== undefined)
            entry.metadata = jsonParse(jsonStringify(entry.metadata));
        append(this.emitted, entry);
    };

    // Called after the user's source ran: what the host needs to know, as JSON text.
    Runtime.prototype.finishDefinition = function () {
        if (this.handlers === null)
            throw new Error('the projection never called .when({...})');
        var types = [];
        for (var k in this.handlers) {
            if (k.charAt(0) !== '$' && typeof this.handlers[k] === 'function')
                append(types, k);
        }
        return jsonStringify({
            sources: this.sources,
            handledTypes: types,
            any: this.anyHandler !== null,
            partitioned: this.byStream || this.partitionFn !== null,
            byStream: this.byStream,
            shared: typeof this.handlers.$initShared === 'function',
            outputState: this.outputState,
            options: this.options,
        });
    };

    Runtime.prototype.initialState = function () {
        var init = this.handlers.$init;
        var s = typeof init === 'function' ? init() : {};
        return s === undefined ? {} : s;
    };

    Runtime.prototype.ensureInit = function () {
        if (this.partitioned()) {
            if (this.partitions === null)
                this.partitions = {};
        } else if (this.state === undefined) {
            this.state = this.initialState();
        }
        if (this.shared === undefined && typeof this.handlers.$initShared === 'function') {
            var sh = this.handlers.$initShared();
            this.shared = sh === undefined ? {} : sh;
        }
    };

    Runtime.prototype.partitioned = function () { return this.byStream || this.partitionFn !== null; };

    // Runs one handler; undefined keeps the (mutated) state, anything else replaces it.
    // With $initShared the handler sees [state, shared], as on the server.
    Runtime.prototype.apply = function (handler, s, e) {
        if (this.shared === undefined) {
            var r = handler(s, e);
            return r === undefined ? s : r;
        }
        var pair = [s, this.trial !== null ? this.trial.track(this.shared, ['$shared']) : this.shared];
        var out = handler(pair, e);
        if (out === undefined)
            out = pair;
        this.shared = out[1];
        return out[0];
    };

    Runtime.prototype.foldOne = function (e, errors) {
        var key = null;
        var s;
        if (this.byStream) {
            key = e.streamId;
        } else if (this.partitionFn !== null) {
            key = this.partitionFn(e);
            if (key === undefined || key === null)
                return; // the server skips events without a partition
            key = String(key);
        }
        if (key !== null) {
            e.partition = key;
            s = this.partitions.hasOwnProperty(key) ? this.partitions[key] : this.initialState();
        } else {
            s = this.state;
        }
        if (this.trial !== null) {
            s = this.trial.track(s, key !== null ? [key] : this.shared !== undefined ? ['$state'] : []);
            if (key !== null)
                this.trial.notePartition(this.partitions, key);
        }
        if (this.anyHandler !== null)
            s = this.apply(this.anyHandler, s, e);
        var h = this.handlers[e.eventType];
        if (typeof h === 'function' && e.eventType.charAt(0) !== '$')
            s = this.apply(h, s, e);
        if (key !== null)
            this.partitions[key] = s;
        else
            this.state = s;
        for (var i = 0; i < this.invariants.length; ++i)
            this.checkInvariant(this.invariants[i], s, e, key, errors);
    };

    Runtime.prototype.checkInvariant = function (inv, s, e, key, errors) {
        var verdict;
        try {
            verdict = inv.fn(s, e, key);
        } catch (err) {
            append(errors, { i: e.index, m: 'invariant "' + inv.name + '" threw ' + errorText(err),
                          l: errorLine(err, inv.file), k: 'invariant' });
            return;
        }
        if (verdict === true || verdict === undefined || verdict === null)
            return;
        var text = verdict === false ? 'violated' : String(verdict);
        append(errors, { i: e.index, m: 'invariant "' + inv.name + '": ' + text, l: -1, k: 'invariant' });
    };

    // Folds `count` events packed in `text` and `nums` (kStride numbers each). Returns the per-event
    // errors; a handler exception is recorded and folding resumes with the next event.
    Runtime.prototype.foldBatch = function (text, buffer, count) {
        var nums = buffer instanceof Float64Array ? buffer : new Float64Array(buffer);
        var errors = [];
        this.ensureInit();
        var i = 0;
        var types = [];
        while (i < count) {
            try {
                i = this.run(text, nums, i, count, errors, types);
            } catch (err) {
                append(errors, { i: this.current, m: errorText(err), l: errorLine(err, this.userFile), k: 'handler' });
                i = this.pos + 1;
            }
        }
        this.current = -1;
        return errors;
    };

    // lenType >= 0: the type's text follows (first use in this batch); < 0: -(k+1) names the k-th type seen.
    Runtime.prototype.run = function (text, nums, from, count, errors, types) {
        for (var i = from; i < count; ++i) {
            var b = i * kStride;
            var p = nums[b];
            var lt = nums[b + 1], ls = nums[b + 2], ld = nums[b + 3], lm = nums[b + 4], ll = nums[b + 5], li = nums[b + 6];
            this.pos = i;
            var index = nums[b + 8];
            this.current = index;
            var type;
            if (lt >= 0) {
                type = text.substr(p, lt);
                append(types, type);
                p += lt;
            } else {
                type = types[-lt - 1];
            }
            var stream = text.substr(p, ls); p += ls;
            var raw = text.substr(p, ld); p += ld;
            var mo = p; p += lm;
            var lo = p;
            if (ll >= 0)
                p += ll;
            var isJson = (nums[b + 9] & kFlagJson) !== 0;
            var body = null;
            if (isJson) {
                try {
                    body = jsonParse(raw);
                } catch (err) {
                    append(errors, { i: index, m: 'data is not valid JSON (' + errorText(err) + '); event skipped',
                                  l: -1, k: 'payload' });
                    continue;
                }
            }
            this.foldOne(new Envelope(type, stream, nums[b + 7], raw, body, isJson, text, mo, lm, lo, ll, p, li, index),
                         errors);
        }
        return count;
    };

    // Invariants: validate(state, event, partition) → true/undefined when fine, false or a message when not.
    Runtime.prototype.addInvariant = function (name, fn, file) {
        if (typeof fn !== 'function')
            throw new TypeError('invariant "' + name + '" is not a function');
        append(this.invariants, { name: name, fn: fn, file: file });
    };

    // Trial folds (Chronoscope's corrections: "what if this event were appended?"): between
    // beginTrial() and endTrial() the state is reached through proxies that log every write, so
    // endTrial() can say what changed and undo it in time proportional to the change, not to the
    // state (a restore of a big state would cost the whole state every keystroke).
    function isIndexKey(k) { return typeof k === 'string' && /^(0|[1-9][0-9]*)$/.test(k); }

    // Array methods that write: run on the array itself with its contents saved first (QJSEngine's
    // push through a proxy loses the element, and one save is cheaper than a log entry per index).
    var kArrayWriters = { push: 1, pop: 1, shift: 1, unshift: 1, splice: 1, sort: 1, reverse: 1, fill: 1,
                          copyWithin: 1 };

    function Trial() {
        this.undo = [];          // [target, key, had, old] in the order written
        this.changed = [];       // paths written, as in stateObject(): keys, and numbers for array indices
        this.proxies = new Map(); // raw object → its proxy
        this.raws = new Map();    // proxy → raw object
        this.partitionsSaved = {}; // partition key → [had, old]
    }

    Trial.prototype.unwrap = function (v) {
        if (v === null || typeof v !== 'object')
            return v;
        var raw = this.raws.get(v);
        return raw === undefined ? v : raw;
    };

    Trial.prototype.logArray = function (t, path) {
        append(this.undo, [t, null, true, Array.prototype.slice.call(t)]);
        append(this.changed, path);
    };

    Trial.prototype.log = function (t, k, isArray, path) {
        if (isArray) // an index written past the end moves the length without a write of its own
            append(this.undo, [t, 'length', true, t.length]);
        append(this.undo, [t, k, Object.prototype.hasOwnProperty.call(t, k), t[k]]);
        // A change in an array is reported as the whole array: indices shift, lengths change.
        append(this.changed, isArray ? path : path.concat([k]));
    };

    Trial.prototype.track = function (v, path) {
        if (v === null || typeof v !== 'object' || this.raws.has(v))
            return v;
        var known = this.proxies.get(v);
        if (known !== undefined)
            return known;
        var trial = this;
        var isArray = Array.isArray(v);
        var p = new Proxy(v, {
            get: function (t, k) {
                var x = t[k];
                if (isArray && typeof x === 'function' && kArrayWriters.hasOwnProperty(k)) {
                    return function () {
                        trial.logArray(t, path);
                        var args = [];
                        for (var a = 0; a < arguments.length; ++a)
                            append(args, trial.unwrap(arguments[a]));
                        // What comes out (a popped element) may be written to, and it is back in
                        // the array after the undo: tracked too.
                        return trial.track(x.apply(t, args), path);
                    };
                }
                if (typeof k === 'symbol' || x === null || typeof x !== 'object')
                    return x;
                return trial.track(x, path.concat([isArray && isIndexKey(k) ? Number(k) : k]));
            },
            set: function (t, k, value) {
                if (typeof k !== 'symbol')
                    trial.log(t, k, isArray, path);
                t[k] = trial.unwrap(value);
                return true;
            },
            deleteProperty: function (t, k) {
                if (typeof k !== 'symbol')
                    trial.log(t, k, isArray, path);
                return delete t[k];
            },
            defineProperty: function (t, k, desc) {
                if (typeof k !== 'symbol')
                    trial.log(t, k, isArray, path);
                if (desc && 'value' in desc)
                    desc.value = trial.unwrap(desc.value);
                return Reflect.defineProperty(t, k, desc);
            },
        });
        this.proxies.set(v, p);
        this.raws.set(p, v);
        return p;
    };

    Trial.prototype.notePartition = function (partitions, key) {
        if (!this.partitionsSaved.hasOwnProperty(key))
            this.partitionsSaved[key] = [partitions.hasOwnProperty(key), partitions[key]];
    };

    Runtime.prototype.beginTrial = function () {
        this.ensureInit();
        var t = new Trial();
        t.state = this.state;
        t.shared = this.shared;
        t.emitted = this.emitted.length;
        t.emittedDropped = this.emittedDropped;
        t.logs = this.logs.length;
        this.trial = t;
    };

    // The value at `path` (as in stateObject()) now, or undefined when there is none.
    Runtime.prototype.trialValueAt = function (path) {
        var t = this.trial;
        var v;
        var i = 0;
        if (this.partitioned()) {
            if (path.length === 0)
                return this.stateObject();
            v = path[0] === '$shared' ? this.shared
                : this.partitions.hasOwnProperty(path[0]) ? this.partitions[path[0]] : undefined;
            i = 1;
        } else if (this.shared !== undefined) {
            if (path.length === 0)
                return this.stateObject();
            v = path[0] === '$shared' ? this.shared : path[0] === '$state' ? this.state : undefined;
            i = 1;
        } else {
            v = this.state;
        }
        for (; i < path.length; ++i) {
            v = t.unwrap(v);
            if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, path[i]))
                return undefined;
            v = v[path[i]];
        }
        return v;
    };

    // Ends the trial: returns what changed as JSON ([{p: path, v: value} or {p: path, r: 1} for a
    // removed place], outermost places only) and undoes every change since beginTrial().
    Runtime.prototype.endTrial = function () {
        var t = this.trial;
        if (t === null)
            throw new Error('no trial under way');
        var paths = t.changed.slice();
        if (this.partitioned()) {
            for (var key in t.partitionsSaved) {
                var saved = t.partitionsSaved[key];
                if (!saved[0] || t.unwrap(this.partitions[key]) !== saved[1])
                    append(paths, [key]);
            }
        } else if (t.unwrap(this.state) !== t.state) {
            append(paths, this.shared !== undefined ? ['$state'] : []);
        }
        if (t.unwrap(this.shared) !== t.shared)
            append(paths, ['$shared']);
        // Outermost places only: a place inside one already reported is part of its value.
        paths.sort(function (a, b) { return a.length - b.length; });
        var seen = {};
        var out = [];
        for (var i = 0; i < paths.length; ++i) {
            var p = paths[i];
            var covered = false;
            for (var n = 0; n <= p.length && !covered; ++n)
                covered = seen.hasOwnProperty(jsonStringify(p.slice(0, n)));
            if (covered)
                continue;
            seen[jsonStringify(p)] = true;
            var v = this.trialValueAt(p);
            append(out, v === undefined ? { p: p, r: 1 } : { p: p, v: v });
        }
        var text = jsonStringify(out);
        for (var u = t.undo.length - 1; u >= 0; --u) {
            var w = t.undo[u];
            if (w[1] === null) { // an array's whole contents
                w[0].length = w[3].length;
                for (var c = 0; c < w[3].length; ++c)
                    w[0][c] = w[3][c];
            } else if (w[2])
                w[0][w[1]] = w[3];
            else
                delete w[0][w[1]];
        }
        for (var pk in t.partitionsSaved) {
            if (t.partitionsSaved[pk][0])
                this.partitions[pk] = t.partitionsSaved[pk][1];
            else
                delete this.partitions[pk];
        }
        this.state = t.state;
        this.shared = t.shared;
        this.emitted.length = t.emitted;
        this.emittedDropped = t.emittedDropped;
        this.logs.length = t.logs;
        this.trial = null;
        this.current = -1;
        return text;
    };

    Runtime.prototype.stateObject = function () {
        this.ensureInit();
        if (this.partitioned()) {
            var out = {};
            for (var k in this.partitions)
                out[k] = this.partitions[k];
            if (this.shared !== undefined)
                out.$shared = this.shared;
            return out;
        }
        return this.shared === undefined ? this.state : { $state: this.state, $shared: this.shared };
    };

    Runtime.prototype.stateJson = function () { return jsonStringify(this.stateObject()); };

    Runtime.prototype.restoreJson = function (text) {
        this.resetState();
        var v = jsonParse(text);
        if (this.partitioned()) {
            this.partitions = {};
            if (v !== null && typeof v === 'object') {
                for (var k in v) {
                    if (k === '$shared')
                        this.shared = v[k];
                    else
                        this.partitions[k] = v[k];
                }
            }
        } else if (typeof this.handlers.$initShared === 'function' && v !== null && typeof v === 'object'
                   && v.hasOwnProperty('$state')) {
            this.state = v.$state;
            this.shared = v.$shared;
        } else {
            this.state = v;
        }
        this.ensureInit();
    };

    // The result as the server computes it: the state through transformBy / filterBy, if any.
    Runtime.prototype.resultJson = function () {
        var r = this.stateObject();
        for (var i = 0; i < this.transforms.length && r !== null && r !== undefined; ++i) {
            var t = this.transforms[i];
            r = t.map ? t.map(r) : (t.filter(r) ? r : null);
        }
        return jsonStringify(r === undefined ? null : r);
    };

    // The sandbox server writes what a projection emits as it goes: it takes the calls and the runtime forgets them.
    Runtime.prototype.takeEmittedJson = function () {
        var out = jsonStringify({ emitted: this.emitted, dropped: this.emittedDropped });
        this.emitted = [];
        this.emittedDropped = 0;
        this.logs = [];
        return out;
    };

    // One partition's result (the whole state when not partitioned) through transformBy / filterBy, as the
    // server's Result call answers it; '' when the partition has no state.
    Runtime.prototype.partitionResultJson = function (key) {
        var r;
        if (this.partitioned()) {
            if (this.partitions === null || !this.partitions.hasOwnProperty(key))
                return '';
            r = this.partitions[key];
        } else {
            r = this.shared === undefined ? this.state : this.stateObject();
        }
        for (var i = 0; i < this.transforms.length && r !== null && r !== undefined; ++i) {
            var t = this.transforms[i];
            r = t.map ? t.map(r) : (t.filter(r) ? r : null);
        }
        return jsonStringify(r === undefined ? null : r);
    };

    Runtime.prototype.emittedJson = function () {
        return jsonStringify({ emitted: this.emitted, dropped: this.emittedDropped, logs: this.logs });
    };

    Runtime.prototype.partitionKeyOf = function (type, stream, seq, bodyRaw, isJson, metadataRaw) {
        if (this.byStream)
            return stream;
        if (this.partitionFn === null)
            return null;
        var src = metadataRaw;
        var e = new Envelope(type, stream, seq, bodyRaw, isJson ? parseOrNull(bodyRaw) : null, isJson, src, 0,
                             src.length, 0, -1, 0, 0, -1);
        var key = this.partitionFn(e);
        return key === undefined || key === null ? null : String(key);
    };

    return {
        stride: kStride,
        flagJson: kFlagJson,
        errorLine: errorLine,
        errorText: errorText,
        create: function (userFile) {
            var rt = new Runtime(userFile);
            rt.installGlobals();
            return rt;
        },
    };
})(typeof globalThis !== 'undefined' ? globalThis : this);
if (typeof module !== 'undefined')
    module.exports = __chronoscope;
__chronoscope; // the completion value: what QJSEngine::evaluate returns to the host
