#include "demo/DemoProjections.h"

#include "DemoOrderTotalsSource.h"
#include "EventStore.h"
#include "UserProjections.h"

namespace chronoscope::sandbox {

std::string demoOrderTotalsSource()
{
    return demoOrderTotalsFile();
}

std::string deployedDemoOrderTotalsSource()
{
    std::string source = demoOrderTotalsSource();
    const std::string handler = "PaymentRefunded: function";
    const size_t at = source.find(handler);
    if (at != std::string::npos)
        source.replace(at, handler.size(), "PaymentRefund: function");
    return source;
}

bool createDemoProjections(EventStore &store, std::string *error)
{
    UserProjections *projections = store.userProjections();
    if (!projections) {
        *error = "the store runs no projections";
        return false;
    }
    UserProjectionDefinition definition;
    definition.name = kDemoProjectionName;
    definition.mode = UserProjectionMode::Continuous;
    definition.query = deployedDemoOrderTotalsSource();
    std::string name;
    const UserProjectionReply reply = projections->create(definition, &name);
    if (!reply.ok())
        *error = reply.message;
    return reply.ok();
}

} // namespace chronoscope::sandbox
