#include "connection/SessionCredentialStore.h"

#include <QTimer>

namespace chronoscope {

SessionCredentialStore::SessionCredentialStore(CredentialStore *inner, QObject *parent)
    : CredentialStore(parent)
    , m_inner(inner)
{
}

void SessionCredentialStore::readPassword(const QString &key, Callback done)
{
    const auto it = m_memory.constFind(key);
    if (it != m_memory.constEnd()) {
        Result r;
        r.password = *it;
        // Callbacks are always asynchronous, as the interface promises.
        QTimer::singleShot(0, this, [done, r]() { done(r); });
        return;
    }
    if (!m_inner) {
        QTimer::singleShot(0, this, [done]() { done({Status::Unavailable, {}, tr("no keychain available")}); });
        return;
    }
    m_inner->readPassword(key, std::move(done));
}

void SessionCredentialStore::writePassword(const QString &key, const QString &password, Callback done)
{
    auto fallback = [this, key, password, done](const Result &r) {
        if (r.status == Status::Ok) {
            m_memory.remove(key);
            done(r);
            return;
        }
        m_memory.insert(key, password);
        Result kept = r;
        const QString why = r.status == Status::Unavailable ? tr("no keychain available") : tr("the keychain failed");
        kept.message = tr("Password not stored: %1 (%2). It is kept in memory for this session only.")
                           .arg(why, r.message.isEmpty() ? tr("no details") : r.message);
        done(kept);
    };
    if (!m_inner) {
        QTimer::singleShot(0, this, [fallback]() { fallback({Status::Unavailable, {}, tr("no keychain")}); });
        return;
    }
    m_inner->writePassword(key, password, fallback);
}

void SessionCredentialStore::deletePassword(const QString &key, Callback done)
{
    m_memory.remove(key);
    if (!m_inner) {
        QTimer::singleShot(0, this, [done]() { done({}); });
        return;
    }
    m_inner->deletePassword(key, std::move(done));
}

} // namespace chronoscope
