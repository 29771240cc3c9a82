#include "script/SpiderMonkeyStrings.h"

#include <js/CharacterEncoding.h>
#include <js/Exception.h>
#include <js/String.h>
#include <jsapi.h>

namespace chronoscope::engine {

QString SpiderMonkeyStrings::toQString(JSContext *cx, JSString *str)
{
    const size_t length = JS_GetStringLength(str);
    QString out(qsizetype(length), Qt::Uninitialized);
    if (!JS_CopyStringChars(cx, mozilla::Range<char16_t>(reinterpret_cast<char16_t *>(out.data()), length), str))
        return {};
    return out;
}

QByteArray SpiderMonkeyStrings::toUtf8(JSContext *cx, JSString *str)
{
    const size_t length = JS_GetStringLength(str);
    QByteArray out(qsizetype(length * 3), Qt::Uninitialized); // enough for any UTF-16 → UTF-8
    const auto done = JS_EncodeStringToUTF8BufferPartial(cx, str, mozilla::Span<char>(out.data(), out.size()));
    if (!done)
        return {};
    out.truncate(qsizetype(mozilla::Get<1>(*done)));
    return out;
}

JSString *SpiderMonkeyStrings::newString(JSContext *cx, const QString &s)
{
    return JS_NewUCStringCopyN(cx, reinterpret_cast<const char16_t *>(s.utf16()), size_t(s.size()));
}

bool SpiderMonkeyStrings::setString(JSContext *cx, JS::MutableHandleValue slot, const QString &s)
{
    JSString *str = newString(cx, s);
    if (!str) {
        JS_ClearPendingException(cx);
        return false;
    }
    slot.setString(str);
    return true;
}

/// From UTF-8 without an intermediate QString; text that is not valid UTF-8 is decoded lossily, as QString does.
JSString *SpiderMonkeyStrings::newStringUtf8(JSContext *cx, const QByteArray &utf8)
{
    if (JSString *s = JS_NewStringCopyUTF8N(cx, JS::UTF8Chars(utf8.constData(), size_t(utf8.size()))))
        return s;
    JS_ClearPendingException(cx);
    return newString(cx, QString::fromUtf8(utf8));
}

} // namespace chronoscope::engine
