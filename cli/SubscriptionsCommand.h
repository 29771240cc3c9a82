#pragma once

#include "CliCommand.h"

namespace chronoscope::cli {

/// `chronoscope-cli subscriptions list | info | parked | replay` (issue 18 item 5): the server's persistent
/// subscription groups through PersistentSubscriptionsClient, their parked messages with the original events
/// resolved, and the replay of those, which is a write: through the write guard and the audit log (SubscriptionWriter,
/// as the window).
class SubscriptionsCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("subscriptions"); }
    QString summary() const override;
    QString help() const override;
    int run(const QStringList &arguments, Output &out) override;
};

} // namespace chronoscope::cli
