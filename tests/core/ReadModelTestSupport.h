#pragma once

#include "connection/ReadModelEndpoint.h"
#include "readmodel/ReadModelMapping.h"
#include "support/FakeCredentialStore.h"

#include <QJsonDocument>
#include <QTest>

/// Shared by the read-model tests: endpoints for the test servers, mappings from JSON text, and the
/// password read back through a credential store the way the app gets it (never from a file).
namespace readmodeltest {

inline chronoscope::ReadModelEndpoint endpoint(chronoscope::ReadModelEndpoint::Backend backend, const QString &host,
                                               quint16 port, const QString &database = {}, const QString &user = {})
{
    chronoscope::ReadModelEndpoint e;
    e.name = QStringLiteral("test");
    e.backend = backend;
    e.host = host;
    e.port = port;
    e.database = database;
    e.username = user;
    e.sslMode = QStringLiteral("disable"); // loopback test servers have no certificates
    e.connectTimeoutMs = 2000;
    e.queryTimeoutMs = 10000;
    return e;
}

inline chronoscope::readmodel::ReadModelMapping mapping(const QByteArray &json)
{
    chronoscope::readmodel::ReadModelMapping::ParseError error;
    const auto m = chronoscope::readmodel::ReadModelMapping::parse(QStringLiteral("test"),
                                                                   QJsonDocument::fromJson(json).object(), &error);
    if (!m)
        qFatal("test mapping does not parse: %s", qPrintable(error.toString()));
    return *m;
}

/// Stores `password` in the (fake) keychain under the endpoint's key and reads it back asynchronously.
inline QString passwordThroughKeychain(FakeCredentialStore &store, const chronoscope::ReadModelEndpoint &e,
                                       const QString &password)
{
    const QString key = e.credentialKey(QStringLiteral("profile"));
    bool written = false;
    store.writePassword(key, password, [&](const chronoscope::CredentialStore::Result &) { written = true; });
    if (!QTest::qWaitFor([&] { return written; }, 5000))
        return {};
    QString got;
    bool read = false;
    store.readPassword(key, [&](const chronoscope::CredentialStore::Result &r) {
        got = r.password;
        read = true;
    });
    return QTest::qWaitFor([&] { return read; }, 5000) ? got : QString();
}

} // namespace readmodeltest
