#pragma once

#include "connection/CredentialStore.h"

#include <QHash>
#include <QTimer>

/// An in-memory credential store for tests; `available = false` behaves like a headless machine.
class FakeCredentialStore : public chronoscope::CredentialStore
{
public:
    QHash<QString, QString> secrets;
    bool available = true;
    int writes = 0;

    void readPassword(const QString &key, Callback done) override
    {
        Result r;
        if (!available)
            r = {Status::Unavailable, {}, QStringLiteral("no secret service")};
        else if (!secrets.contains(key))
            r.status = Status::NotFound;
        else
            r.password = secrets.value(key);
        later(done, r);
    }
    void writePassword(const QString &key, const QString &password, Callback done) override
    {
        ++writes;
        Result r;
        if (available)
            secrets.insert(key, password);
        else
            r = {Status::Unavailable, {}, QStringLiteral("no secret service")};
        later(done, r);
    }
    void deletePassword(const QString &key, Callback done) override
    {
        secrets.remove(key);
        later(done, {});
    }

private:
    void later(const Callback &done, const Result &r)
    {
        QTimer::singleShot(0, this, [done, r]() { done(r); });
    }
};
