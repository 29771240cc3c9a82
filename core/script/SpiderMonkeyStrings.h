#pragma once

#include <QByteArray>
#include <QString>

#include <js/TypeDecls.h>

namespace chronoscope::engine {

/// Text across the Qt / SpiderMonkey boundary. Every function that makes a string may GC: root the result
/// before the next allocation.
struct SpiderMonkeyStrings
{
    static QString toQString(JSContext *cx, JSString *str);
    /// UTF-8 (unpaired surrogates become U+FFFD); empty when out of memory.
    static QByteArray toUtf8(JSContext *cx, JSString *str);
    static JSString *newString(JSContext *cx, const QString &s);
    /// From UTF-8 without an intermediate QString; text that is not valid UTF-8 is decoded lossily, as QString does.
    static JSString *newStringUtf8(JSContext *cx, const QByteArray &utf8);
    /// Puts a new string into a rooted slot; false (nothing pending) when the engine is out of memory.
    static bool setString(JSContext *cx, JS::MutableHandleValue slot, const QString &s);
};

} // namespace chronoscope::engine
