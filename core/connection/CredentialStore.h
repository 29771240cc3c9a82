#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace chronoscope {

/// Where passwords live: an asynchronous key → secret store. The real one is the OS keychain
/// (KeychainCredentialStore); tests use an in-memory fake. Settings files never hold a password.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Ok,
        NotFound,    ///< the store works but holds nothing under this key
        Unavailable, ///< no keychain on this machine (e.g. headless, no secret service)
        Failed       ///< the keychain refused or broke; see message
    };
    struct Result
    {
        Status status = Status::Ok;
        QString password; ///< reads only
        QString message;  ///< why it failed, for the user
    };
    /// Called once, later, on the thread that started the call (never before the call returns).
    using Callback = std::function<void(const Result &)>;

    using QObject::QObject;

    virtual void readPassword(const QString &key, Callback done) = 0;
    virtual void writePassword(const QString &key, const QString &password, Callback done) = 0;
    virtual void deletePassword(const QString &key, Callback done) = 0;
};

} // namespace chronoscope
