#include "common/UtcTimeDelegate.h"

#include <QDateTime>

namespace chronoscope::views {

QString UtcTimeDelegate::displayText(const QVariant &value, const QLocale &locale) const
{
    if (value.metaType().id() != QMetaType::QDateTime)
        return QStyledItemDelegate::displayText(value, locale);
    return value.toDateTime().toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace chronoscope::views
