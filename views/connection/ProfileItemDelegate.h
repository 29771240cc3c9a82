#pragma once

#include <QStyledItemDelegate>

namespace chronoscope::views {

/// Draws a profile row: the colour swatch (decoration), the name, and a red PROD badge on the
/// right for production profiles (the bool in `productionRole`).
class ProfileItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ProfileItemDelegate(int productionRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_productionRole;
};

} // namespace chronoscope::views
