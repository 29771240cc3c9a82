#include "demo/DemoSeeder.h"

#include "demo/DemoOrderEmails.h"

#include <memory>

namespace chronoscope::sandbox {

quint64 seedDemoHistory(EventStore &store, const DemoHistory::Options &options, bool withOrderEmails)
{
    std::vector<ProposedEvent> one(1);
    const std::unique_ptr<DemoOrderEmails> emails = withOrderEmails ? std::make_unique<DemoOrderEmails>(store, options)
                                                                    : nullptr;
    const quint64 n = DemoHistory(options).generate([&](const DemoEvent &e) {
        ProposedEvent &p = one.front();
        p.id = e.id;
        p.type = e.type.toStdString();
        p.isJson = true;
        p.data = e.data.toStdString();
        p.metadata = e.metadata.toStdString();
        p.createdTicks = e.createdMs * kTicksPerMillisecond;
        if (emails)
            emails->before(e);
        const WriteResult written = store.append(e.stream.toStdString(), EventStore::Expected::Any, 0, one);
        if (emails)
            emails->after(e, written.currentRevision.value_or(0));
        return true;
    });
    if (emails)
        emails->finish();
    return n;
}

} // namespace chronoscope::sandbox
