#include "script/UpcastingReducer.h"

#include "script/JsSandbox.h"

#include <QJSEngine>

#include <algorithm>
#include <deque>

namespace chronoscope::engine {

namespace {

// The upcaster table and chain runner, evaluated once per engine.
const char kUpcasterRuntime[] = R"JS((function () {
    'use strict';
    var table = {};
    function lineOf(err, file) {
        var stack = err && typeof err.stack === 'string' ? err.stack.split('\n') : [];
        for (var i = 0; i < stack.length; ++i) {
            var at = stack[i].lastIndexOf(file + ':');
            if (at >= 0) { var n = parseInt(stack[i].substring(at + file.length + 1), 10); if (n > 0) return n; }
        }
        return -1;
    }
    function versionOf(path, data, metadata, fallback) {
        var parts = path.split('.');
        var v = parts[0] === 'data' ? data : parts[0] === 'metadata' ? metadata : undefined;
        for (var i = 1; i < parts.length && v !== undefined && v !== null; ++i) v = v[parts[i]];
        var n = Number(v);
        return v === undefined || v === null || isNaN(n) ? fallback : n;
    }
    return {
        add: function (type, version, to, path, fallback, fn, file) {
            if (typeof fn !== 'function') throw new TypeError('the upcaster is not a function');
            (table[type] = table[type] || {})[version] = { to: to, path: path, fallback: fallback, fn: fn, file: file };
        },
        // Returns one entry per event: null (unchanged), the new data as JSON text, or {m, l} on error.
        run: function (types, datas, metas) {
            var out = [];
            for (var k = 0; k < types.length; ++k) {
                var byVersion = table[types[k]];
                var data, meta = null, current = null;
                try {
                    data = JSON.parse(datas[k]);
                    try { meta = metas[k].length ? JSON.parse(metas[k]) : null; } catch (e) { meta = null; }
                    var first = true, version, steps = 0;
                    for (;;) {
                        var u = first ? null : byVersion[version];
                        if (first) {
                            var any = byVersion[Object.keys(byVersion)[0]];
                            version = versionOf(any.path, data, meta, any.fallback);
                            u = byVersion[version];
                            first = false;
                        }
                        if (!u) break;
                        if (++steps > 32) throw new Error('upcaster chain does not end (version ' + version + ')');
                        current = u;
                        var next = u.fn(data, meta);
                        if (next === undefined) throw new Error('the upcaster returned undefined');
                        data = next;
                        version = u.to;
                    }
                    out.push(steps === 0 ? null : JSON.stringify(data));
                } catch (err) {
                    var msg = err && err.message !== undefined ? (err.name ? err.name + ': ' : '') + err.message : String(err);
                    out.push({ m: msg, l: current ? lineOf(err, current.file) : -1, f: current ? current.file : '' });
                }
            }
            return out;
        },
    };
})())JS";

} // namespace

struct UpcastingReducer::Engine
{
    std::unique_ptr<JsSandbox> sandbox;
    QJSValue runtime;
};

UpcastingReducer::UpcastingReducer(std::unique_ptr<Reducer> inner, const QList<UpcasterSpec> &upcasters,
                                   const ScriptLimits &limits)
    : m_inner(std::move(inner)), m_specs(upcasters), m_limits(limits)
{
    for (const UpcasterSpec &u : m_specs)
        m_types.insert(u.eventType);
}

UpcastingReducer::~UpcastingReducer() = default;

std::unique_ptr<UpcastingReducer> UpcastingReducer::create(std::unique_ptr<Reducer> inner,
                                                           const QList<UpcasterSpec> &upcasters,
                                                           const ScriptLimits &limits, ScriptError *error)
{
    std::unique_ptr<UpcastingReducer> r(new UpcastingReducer(std::move(inner), upcasters, limits));
    ScriptError local;
    if (!r->load(error ? error : &local))
        return nullptr;
    return r;
}

bool UpcastingReducer::load(ScriptError *error)
{
    auto engine = std::make_unique<Engine>();
    engine->sandbox = std::make_unique<JsSandbox>(m_limits);
    engine->runtime = engine->sandbox->evaluate(QString::fromUtf8(kUpcasterRuntime), QStringLiteral("upcaster_runtime.js"), error);
    if (error->isError())
        return false;
    for (const UpcasterSpec &u : m_specs) {
        const QJSValue fn = engine->sandbox->evaluate(QLatin1Char('(') + u.source + QStringLiteral("\n)"), u.fileName, error);
        if (error->isError()) {
            error->file = u.fileName;
            return false;
        }
        engine->sandbox->call(engine->runtime, QStringLiteral("add"),
                              {QString::fromUtf8(u.eventType), u.version, u.toVersion, u.versionFrom, u.defaultVersion, fn,
                               u.fileName},
                              error);
        if (error->isError()) {
            error->file = u.fileName;
            return false;
        }
    }
    m_engine = std::move(engine);
    return true;
}

void UpcastingReducer::reset()
{
    if (!m_fatal.isEmpty())
        m_engine.reset(); // a fresh engine after an interrupt
    m_fatal.clear();
    m_inner->reset();
}

std::unique_ptr<Reducer> UpcastingReducer::clone() const
{
    // The engine is built on first use, on the thread that folds.
    return std::unique_ptr<Reducer>(new UpcastingReducer(m_inner->clone(), m_specs, m_limits));
}

FoldResult UpcastingReducer::fold(const FoldEvent *events, qsizetype count)
{
    FoldResult result;
    if (count <= 0)
        return result;
    if (!m_fatal.isEmpty())
        return FoldResult::refused(events[0].index, m_fatal);
    ScriptError error;
    if (!m_engine && !load(&error)) {
        result.errors.append(FoldError{events[0].index, QStringLiteral("cannot load the upcasters: ") + error.toString(),
                                       error.line, true});
        return result;
    }
    QStringList types, datas, metas;
    std::vector<qsizetype> positions;
    for (qsizetype i = 0; i < count; ++i) {
        const RecordedEvent &e = *events[i].event;
        if (!e.isJson() || !m_types.contains(e.type))
            continue;
        positions.push_back(i);
        types.append(QString::fromUtf8(e.type));
        datas.append(QString::fromUtf8(e.data));
        metas.append(QString::fromUtf8(e.metadata));
    }
    if (positions.empty())
        return m_inner->fold(events, count);

    QJSEngine *js = m_engine->sandbox->engine();
    const QJSValue out = m_engine->sandbox->call(
        m_engine->runtime, QStringLiteral("run"), {js->toScriptValue(types), js->toScriptValue(datas), js->toScriptValue(metas)},
        &error);
    if (error.isError()) {
        m_fatal = QStringLiteral("upcasters: ") + error.message;
        result.errors.append(FoldError{events[positions.front()].index, m_fatal, -1, true});
        return result;
    }
    // Copies of the upcast events; the others are folded as they are.
    std::vector<FoldEvent> rewritten(events, events + count);
    std::deque<RecordedEvent> copies;
    QList<FoldError> upcastErrors;
    for (size_t k = 0; k < positions.size(); ++k) {
        const QJSValue v = out.property(quint32(k));
        const FoldEvent &fe = events[positions[k]];
        if (v.isNull())
            continue;
        if (v.isString()) {
            copies.push_back(*fe.event);
            copies.back().data = v.toString().toUtf8();
            rewritten[size_t(positions[k])].event = &copies.back();
            continue;
        }
        const int line = v.property(QStringLiteral("l")).toInt();
        QString where = v.property(QStringLiteral("f")).toString();
        if (line > 0)
            where += QLatin1Char(':') + QString::number(line);
        upcastErrors.append(FoldError{fe.index,
                                      QStringLiteral("event #%1 (%2 in %3): upcaster %4 failed: %5; folded with its original data")
                                          .arg(QString::number(fe.index), QString::fromUtf8(fe.event->type),
                                               QString::fromUtf8(fe.event->streamId), where,
                                               v.property(QStringLiteral("m")).toString()),
                                      line > 0 ? line : -1, false});
    }
    result = m_inner->fold(rewritten.data(), count);
    if (!upcastErrors.isEmpty()) {
        const quint64 limit = result.stopped() ? result.errors.constLast().index : std::numeric_limits<quint64>::max();
        for (const FoldError &e : std::as_const(upcastErrors)) {
            if (e.index <= limit)
                result.errors.append(e);
        }
        std::stable_sort(result.errors.begin(), result.errors.end(), [](const FoldError &a, const FoldError &b) {
            return a.fatal != b.fatal ? b.fatal : a.index < b.index;
        });
    }
    return result;
}

QByteArray UpcastingReducer::upcast(const RecordedEvent &event, ScriptError *error)
{
    if (!event.isJson() || !m_types.contains(event.type))
        return event.data;
    if (!m_engine && !load(error))
        return event.data;
    QJSEngine *js = m_engine->sandbox->engine();
    const QJSValue out = m_engine->sandbox->call(
        m_engine->runtime, QStringLiteral("run"),
        {js->toScriptValue(QStringList{QString::fromUtf8(event.type)}),
         js->toScriptValue(QStringList{QString::fromUtf8(event.data)}),
         js->toScriptValue(QStringList{QString::fromUtf8(event.metadata)})},
        error);
    if (error->isError())
        return event.data;
    const QJSValue v = out.property(0);
    if (v.isString())
        return v.toString().toUtf8();
    if (!v.isNull()) {
        error->message = v.property(QStringLiteral("m")).toString();
        error->file = v.property(QStringLiteral("f")).toString();
        error->line = v.property(QStringLiteral("l")).toInt();
    }
    return event.data;
}

} // namespace chronoscope::engine
