#pragma once

#include <QtGlobal>

#include <string_view>

namespace chronoscope {

/// A scalar as its holder keeps it, seen without building a QJsonValue: for comparisons of many values that
/// are mostly equal (the drift scan), where building and freeing two JSON values per field would cost more
/// than the comparison. `text` points into the holder and is valid while it is unchanged.
struct ScalarView
{
    enum class Kind : quint8 {
        Missing, ///< no value there (a missing key)
        Null,
        Bool,
        Integer,   ///< an exact 64-bit integer
        Text,      ///< a string, UTF-8 as the holder has it
        Timestamp, ///< a PostgreSQL timestamp's text, as the server wrote it (see PostgresValues)
        Other,     ///< anything else (a double, an object, an array, a type not read here)
    };
    Kind kind = Kind::Missing;
    bool boolean = false;
    qint64 integer = 0;
    std::string_view text;
};

} // namespace chronoscope
