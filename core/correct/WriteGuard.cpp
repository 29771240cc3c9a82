#include "correct/WriteGuard.h"

namespace chronoscope {

WriteGuard::WriteGuard(const WriteProfile &profile, QObject *parent) : QObject(parent), m_profile(profile) {}

void WriteGuard::setProfile(const WriteProfile &profile)
{
    m_profile = profile;
    m_reason.clear(); // a new connection starts locked, whatever the last one was
    m_readOnlyWhy.clear();
    Q_EMIT changed();
}

void WriteGuard::setArchive(const QString &file)
{
    m_profile = WriteProfile{file, false, true};
    m_reason.clear();
    m_readOnlyWhy =
        tr("an archive is read-only: %1 is a file, not a server, and nothing can be appended to it").arg(file);
    Q_EMIT changed();
}

WriteGuard::State WriteGuard::state() const
{
    if (m_profile.readOnly)
        return State::ReadOnlyProfile;
    return m_reason.isEmpty() ? State::Locked : State::Unlocked;
}

QString WriteGuard::unlock(const QString &reason)
{
    if (m_profile.readOnly)
        return m_readOnlyWhy.isEmpty()
            ? tr("The profile \"%1\" is read-only: edit the profile to allow writes.").arg(m_profile.name)
            : tr("Writes cannot be unlocked: %1.").arg(m_readOnlyWhy);
    const QString trimmed = reason.simplified();
    if (trimmed.isEmpty())
        return tr("Give a reason for unlocking writes: it goes into every event you append and the audit log.");
    if (trimmed.size() < kMinReasonLength)
        return tr("The reason is too short: say why, in at least %1 characters (a ticket number and a word will do).")
            .arg(kMinReasonLength);
    m_reason = trimmed;
    Q_EMIT changed();
    return {};
}

void WriteGuard::lock()
{
    if (m_reason.isEmpty())
        return;
    m_reason.clear();
    Q_EMIT changed();
}

QString WriteGuard::authorize(const QString &typedProfileName) const
{
    switch (state()) {
    case State::ReadOnlyProfile:
        return m_readOnlyWhy.isEmpty()
            ? tr("The profile \"%1\" is read-only: nothing can be appended through it.").arg(m_profile.name)
            : tr("Nothing can be appended: %1.").arg(m_readOnlyWhy);
    case State::Locked: return tr("Writes are locked: unlock them with a reason first.");
    case State::Unlocked: break;
    }
    if (m_profile.production && typedProfileName.trimmed() != m_profile.name)
        return typedProfileName.trimmed().isEmpty()
            ? tr("This is the production profile \"%1\": type its name to confirm the append.").arg(m_profile.name)
            : tr("The name typed does not match the production profile \"%1\".").arg(m_profile.name);
    return {};
}

QString WriteGuard::readOnlyReason() const
{
    if (!m_readOnlyWhy.isEmpty())
        return m_readOnlyWhy;
    return m_profile.name.isEmpty() ? tr("the profile is read-only")
                                    : tr("the profile \"%1\" is read-only").arg(m_profile.name);
}

QString WriteGuard::summary() const
{
    switch (state()) {
    case State::ReadOnlyProfile: return m_readOnlyWhy.isEmpty() ? tr("read-only") : tr("archive, read-only");
    case State::Locked: return tr("writes locked");
    case State::Unlocked: break;
    }
    return tr("writes unlocked: %1").arg(m_reason);
}

} // namespace chronoscope
