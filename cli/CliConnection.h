#pragma once

#include "connection/ConnectionSettings.h"
#include "connection/CredentialStore.h"
#include "correct/WriteGuard.h"

#include <QString>

#include <optional>

namespace chronoscope::cli {

class CommandLine;

/// Where a command connects, from `--connection` or `--profile`, with its password and its write profile.
struct CliConnection
{
    ConnectionSettings settings; ///< with the password, when one is needed
    WriteProfile profile;        ///< adHoc() for a connection string; the saved profile's flags otherwise
    QString description;         ///< the profile's name or the redacted connection string

    /// The environment variable a password is read from.
    static constexpr const char *kPasswordVariable = "CHRONOSCOPE_PASSWORD";

    /// Reads the connection options (`--connection` [`--username`] or `--profile`). A password written
    /// into the connection string is refused (the command line is visible to every user of the
    /// machine); it comes from CHRONOSCOPE_PASSWORD or, for a profile, the keychain. Returns none with
    /// `error` set when there is no usable connection.
    static std::optional<CliConnection> resolve(const CommandLine &line, QString *error);

    /// The keychain's password under `key` (the window keeps a profile's under its name, a read-model
    /// endpoint's under ReadModelEndpoint::credentialKey), waiting at most a few seconds: a headless
    /// machine may have no keychain at all.
    static CredentialStore::Result keychainPassword(const QString &key);
    /// The name of the saved profile the options name (`--profile`, or `--connect` without a scheme); empty
    /// for a connection string.
    static QString profileName(const CommandLine &line);
};

} // namespace chronoscope::cli
