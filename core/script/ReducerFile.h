#pragma once

#include "json/JsonSchema.h"
#include "script/JsReducer.h"
#include "script/ReducerTemplate.h"
#include "script/UpcastingReducer.h"

#include <QHash>
#include <QJsonObject>

#include <functional>
#include <optional>

namespace chronoscope::engine {

/// A reducer file (`*.reducer.json`, format "chronoscope-reducer/1"):
///
///     { "format": "chronoscope-reducer/1",            optional; other values are refused
///       "name": "orders",                              required
///       "description": "…",
///       "kind": "javascript" | "merge",                required
///       "appliesTo": ["order-*", "payment-*"],         stream globs (* and ?); a string or an array; default all
///       "arrayIdKey": "lineId",                        id key for arrays in diffs (F7)
///       "projection": "fromAll().when(…)",             javascript kind: the source, or
///       "projectionFile": "orders.projection.js",      …a path relative to this file
///       "engine": "default" | "spidermonkey" | "qjsengine", the projection's JavaScript engine (default: Default)
///       "upcasters": [{ "eventType", "version", "toVersion" (default version+1),
///                       "versionFrom" (default "metadata.schemaVersion"), "defaultVersion" (1),
///                       "function": "(data, metadata) => newData" }],
///       "invariants": [{ "name", "function": "(state, event, partition) => true | false | 'message'" }],
///       "schemas": { "<EventType>": <JSON Schema draft-07, see JsonSchema> },
///       "templates": [{ "name", "eventType", "from": ["<EventType>"], "description", "data", "metadata" }],
///                                                      corrective-event templates, see ReducerTemplate
///       "limits": { "timeLimitMs": 1000, "memoryLimitMB": 512, "stateLimitMB": 64 } }
///
/// Schemas are JSON Schema draft-07 (every validation keyword; `format` is checked, for the formats
/// JsonSchemaFormats lists). A schema loads only when it is clean: an unknown keyword, an unsupported
/// format, a remote `$ref` (only "#…" and `$id`s within the schema are followed) and even a keyword
/// draft-07 would ignore where it stands (beside `$ref`, say) fail the load, with the JSON Pointer
/// into the schema: `schemas.OrderPlaced: /properties/total/minimun: unknown keyword …`.
///
/// Every function field is a string or an array of strings (lines, joined with newlines); script lines in
/// errors count within that field. Load errors name the file, the field and, for scripts, the line.
///
/// Kind "merge": the loader does not build the merge reducer (another component owns it). The engine calls
/// createReducer() with a factory that builds its MergeReducer; upcasters wrap it like any reducer.
/// Invariants need a script state and are refused for kind "merge".
class ReducerFile
{
public:
    enum class Kind { Merge, JavaScript };

    struct LoadError
    {
        QString file;
        QString field; ///< e.g. "upcasters[0].function"; empty for file-level problems
        int line = -1; ///< script line within the field, -1 when not a script error
        QString message;
        /// "file: field: line N: message"
        QString toString() const;
    };

    static std::optional<ReducerFile> load(const QString &path, LoadError *error);
    static std::optional<ReducerFile> parse(const QByteArray &json, const QString &path, LoadError *error);

    QString path() const { return m_path; }
    QString name() const { return m_name; }
    QString description() const { return m_description; }
    Kind kind() const { return m_kind; }
    QStringList appliesTo() const { return m_appliesTo; }
    QString arrayIdKey() const { return m_arrayIdKey; }
    QString projectionSource() const { return m_projection; }
    const QList<UpcasterSpec> &upcasters() const { return m_upcasters; }
    const QList<JsInvariant> &invariants() const { return m_invariants; }
    const QHash<QByteArray, QJsonObject> &schemas() const { return m_schemas; }
    /// The corrective-event templates, in file order (ReducerTemplate has the format).
    const QList<ReducerTemplate> &templates() const { return m_templates; }
    const ScriptLimits &limits() const { return m_limits; }
    /// The engine the projection runs in ("engine": "default" | "spidermonkey" | "qjsengine"; default: Default).
    JsEngineKind engine() const { return m_engine; }

    /// Whether the file's `appliesTo` patterns match the stream (no patterns: every stream).
    bool appliesToStream(const QByteArray &streamId) const;
    /// The findings of the event type's schema on the event's data, each with its JSON Pointer,
    /// keyword and message (nothing when the type has no schema).
    JsonSchemaResult checkPayload(const RecordedEvent &event) const;
    /// checkPayload() as lines: "/total/amount: must be at least 0 (it is -5)"; empty when fine.
    QStringList validatePayload(const RecordedEvent &event) const;

    /// Builds the reducer. For kind "merge" `makeMerge` must build the merge reducer; for "javascript" it is
    /// unused. Upcasters, when present, wrap the result.
    std::unique_ptr<Reducer> createReducer(LoadError *error,
                                           const std::function<std::unique_ptr<Reducer>()> &makeMerge = {}) const;

private:
    QString m_path, m_name, m_description, m_arrayIdKey, m_projection, m_projectionFileName;
    Kind m_kind = Kind::Merge;
    QStringList m_appliesTo;
    QList<UpcasterSpec> m_upcasters;
    QList<JsInvariant> m_invariants;
    QHash<QByteArray, QJsonObject> m_schemas;
    QHash<QByteArray, JsonSchema> m_compiledSchemas;
    QList<ReducerTemplate> m_templates;
    ScriptLimits m_limits;
    JsEngineKind m_engine = JsEngineKind::Default;
};

} // namespace chronoscope::engine
