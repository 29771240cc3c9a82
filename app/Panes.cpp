#include "Panes.h"

#include "InspectorDocks.h"
#include "StateDocks.h"

#include <utility>

namespace chronoscope {

QList<QDockWidget *> Panes::all() const
{
    QList<QDockWidget *> docks{streams, timeline, events, inspector, state, diff, reducer};
    for (QDockWidget *optional : {composer, audit, readModelLag, readModel, drift, subscriptions, projections})
        if (optional)
            docks << optional;
    return docks;
}

QList<QDockWidget *> Panes::focusOrder() const
{
    return {streams, events, timeline, inspector, state, diff, reducer};
}

QDockWidget *Panes::named(const QString &shortName) const
{
    const std::pair<const char *, QDockWidget *> table[] = {{"streams", streams},
                                                            {"timeline", timeline},
                                                            {"events", events},
                                                            {"inspector", inspector},
                                                            {"state", state},
                                                            {"diff", diff},
                                                            {"reducer", reducer},
                                                            {"composer", composer},
                                                            {"audit", audit},
                                                            {"lag", readModelLag},
                                                            {"subscriptions", subscriptions},
                                                            {"projections", projections}};
    for (const auto &[name, dock] : table)
        if (shortName.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return dock;
    if (shortName.compare(QLatin1String("readmodel"), Qt::CaseInsensitive) == 0) // issue 14's docks
        return readModel;
    if (shortName.compare(QLatin1String("drift"), Qt::CaseInsensitive) == 0)
        return drift;
    return nullptr;
}

} // namespace chronoscope
