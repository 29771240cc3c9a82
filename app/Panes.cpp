#include "Panes.h"

#include "InspectorDocks.h"
#include "StateDocks.h"

#include <utility>

namespace chronoscope {

QList<QDockWidget *> Panes::all() const
{
    QList<QDockWidget *> docks{streams, timeline, events, inspector, state, diff, reducer};
    for (QDockWidget *optional : {composer, audit, projections})
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
    const std::pair<const char *, QDockWidget *> table[] = {{"streams", streams}, {"timeline", timeline},
                                                            {"events", events},   {"inspector", inspector},
                                                            {"state", state},     {"diff", diff},
                                                            {"reducer", reducer}, {"composer", composer},
                                                            {"audit", audit},     {"projections", projections}};
    for (const auto &[name, dock] : table)
        if (shortName.compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
            return dock;
    return nullptr;
}

} // namespace chronoscope
