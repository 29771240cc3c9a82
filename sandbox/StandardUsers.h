#pragma once

#include "EventStore.h"

#include <QByteArray>
#include <QString>

namespace chronoscope::sandbox {

/// The real server's default users (ClusterVNodeOptions DefaultAdminPassword / DefaultOpsPassword;
/// UserManagementService's full names and roles): what AccessControl authenticates against.
struct DefaultUser
{
    const char *name;
    const char *password;
    const char *group;
    const char *fullName;
};
inline constexpr DefaultUser kDefaultUsers[] = {{"admin", "changeit", "$admins", "Event Store Administrator"},
                                                {"ops", "changeit", "$ops", "Event Store Operations"}};

/// The records a real node writes for its two default users when it becomes leader with authentication
/// on and finds no `$user-admin` (KurrentDB `UserManagementService.Handle(BecomeLeader)`, CreateAdminUser,
/// CreateOperationsUser): for `admin` and for `ops`, the user stream's ACL in `$$$user-<name>`, a
/// `$UserCreated` event in `$user-<name>` (UserData: login name, full name, groups, an Rfc2898 hash and
/// salt of the default password) and a `$User` event naming it in `$users`. A store that has them already
/// (a `--db` restart) gets nothing. Returns the number of records written.
int writeStandardUsers(EventStore &store);

/// PBKDF2-HMAC-SHA1 (`Rfc2898DeriveBytes`): `length` bytes of `password` derived with `salt`, `iterations` rounds.
QByteArray pbkdf2Sha1(const QByteArray &password, const QByteArray &salt, int iterations, int length);

} // namespace chronoscope::sandbox
