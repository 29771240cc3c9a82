#pragma once

#include <QObject>
#include <QString>

namespace chronoscope {

/// What the guard needs to know of the connection's profile. Connections made without a saved
/// profile (a typed connection string, the demo) are neither production nor read-only.
struct WriteProfile
{
    QString name;            ///< the saved profile's name; empty for an ad-hoc connection
    bool production = false; ///< each append needs the profile's name typed
    bool readOnly = true;    ///< writes cannot be unlocked at all (edit the profile to allow them)
    static WriteProfile adHoc() { return WriteProfile{QString(), false, false}; }
};

/// Write mode (F9): off for every connection until the user unlocks it with a reason, for the rest
/// of the session (until lock() or another profile). The reason goes into every append's metadata
/// and the audit log. A read-only profile cannot be unlocked; a production profile also needs its
/// name typed before each append (authorize()). The guard is the one place that decides: the
/// composer, the CLI and the Corrector all ask it.
class WriteGuard : public QObject
{
    Q_OBJECT
public:
    enum class State {
        ReadOnlyProfile, ///< the profile forbids writes
        Locked,          ///< writes are possible once unlocked
        Unlocked,        ///< writes allowed (with the profile name typed, for production)
    };

    explicit WriteGuard(const WriteProfile &profile = WriteProfile{}, QObject *parent = nullptr);

    /// A new connection: the guard locks again.
    void setProfile(const WriteProfile &profile);
    /// No server to write to at all — an archive opened offline (`file`: its name): read-only for good,
    /// and every refusal says why ("an archive is read-only: …") rather than blaming a profile.
    void setArchive(const QString &file);
    /// Why writes are off when it is not a profile's flag (an archive); empty otherwise.
    QString readOnlyWhy() const { return m_readOnlyWhy; }
    const WriteProfile &profile() const { return m_profile; }

    State state() const;
    bool isUnlocked() const { return state() == State::Unlocked; }
    /// The reason given when unlocking; empty while locked.
    QString reason() const { return m_reason; }

    /// The shortest reason accepted (after trimming).
    static constexpr int kMinReasonLength = 5;
    /// Unlocks writes for this session. Returns why not (read-only profile, reason missing or too
    /// short), empty on success.
    QString unlock(const QString &reason);
    void lock();

    /// True for a production profile: authorize() wants the profile's name typed.
    bool needsTypedProfileName() const { return m_profile.production; }
    /// Whether an append may go ahead now. `typedProfileName` is what the user typed for a
    /// production profile (compared exactly, after trimming). Returns the refusal in words, empty
    /// when the append is allowed.
    QString authorize(const QString &typedProfileName = {}) const;

    /// Why writes cannot be unlocked, in words, while state() is ReadOnlyProfile: readOnlyWhy()
    /// ("an archive is read-only: …"), else that the profile is read-only.
    QString readOnlyReason() const;
    /// "read-only", "writes locked", "writes unlocked: <reason>" — what the banner says.
    QString summary() const;

Q_SIGNALS:
    void changed();

private:
    WriteProfile m_profile;
    QString m_reason;
    QString m_readOnlyWhy;
};

} // namespace chronoscope
