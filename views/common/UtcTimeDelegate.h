#pragma once

#include <QStyledItemDelegate>

namespace chronoscope::views {

/// Shows QDateTime values as UTC in ISO form with milliseconds ("2026-07-01 09:30:00.125"), the
/// same on every locale, so times can be compared with server logs.
class UtcTimeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QString displayText(const QVariant &value, const QLocale &locale) const override;
};

} // namespace chronoscope::views
