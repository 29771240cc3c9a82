#include "script/ProjectionEngine.h"

#include "script/QjsProjectionEngine.h"
#ifdef CHRONOSCOPE_HAVE_SPIDERMONKEY
#include "script/SpiderMonkeyEngine.h"
#endif

namespace chronoscope::engine {

bool ProjectionEngine::isAvailable(JsEngineKind kind)
{
#ifdef CHRONOSCOPE_HAVE_SPIDERMONKEY
    Q_UNUSED(kind)
    return true;
#else
    return kind != JsEngineKind::SpiderMonkey;
#endif
}

JsEngineKind ProjectionEngine::defaultKind()
{
#ifdef CHRONOSCOPE_HAVE_SPIDERMONKEY
    return JsEngineKind::SpiderMonkey; // measured several times faster than V4 (bench_fold_js)
#else
    return JsEngineKind::QJSEngine;
#endif
}

QString ProjectionEngine::kindName(JsEngineKind kind)
{
    switch (kind) {
    case JsEngineKind::Default: return QStringLiteral("default");
    case JsEngineKind::SpiderMonkey: return QStringLiteral("spidermonkey");
    case JsEngineKind::QJSEngine: return QStringLiteral("qjsengine");
    }
    return {};
}

bool ProjectionEngine::kindFromName(const QString &name, JsEngineKind *kind)
{
    for (JsEngineKind k : {JsEngineKind::Default, JsEngineKind::SpiderMonkey, JsEngineKind::QJSEngine}) {
        if (name.compare(kindName(k), Qt::CaseInsensitive) == 0) {
            *kind = k;
            return true;
        }
    }
    return false;
}

std::unique_ptr<ProjectionEngine> ProjectionEngine::create(JsEngineKind kind, QString *error)
{
    if (kind == JsEngineKind::Default)
        kind = defaultKind();
    if (!isAvailable(kind)) {
        *error = QStringLiteral("the JavaScript engine \"%1\" is not built into this Chronoscope").arg(kindName(kind));
        return nullptr;
    }
#ifdef CHRONOSCOPE_HAVE_SPIDERMONKEY
    if (kind == JsEngineKind::SpiderMonkey)
        return std::make_unique<SpiderMonkeyEngine>();
#endif
    return std::make_unique<QjsProjectionEngine>();
}

} // namespace chronoscope::engine
