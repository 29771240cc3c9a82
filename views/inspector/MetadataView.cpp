#include "inspector/MetadataView.h"

#include "json/JsonFormat.h"
#include "payload/PayloadDecoder.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope::views {

MetadataView::MetadataView(QWidget *parent) : QTreeWidget(parent)
{
    setRootIsDecorated(false);
    setAlternatingRowColors(true);
    setUniformRowHeights(true);
    setHeaderLabels({tr("Key"), tr("Value")});
    setColumnWidth(0, 160);
}

void MetadataView::addRow(const QString &key, const QString &value, bool system)
{
    auto *item = new QTreeWidgetItem(this, {key, value});
    item->setToolTip(1, value.left(1024));
    if (system) {
        QFont f = item->font(0);
        f.setBold(true);
        item->setFont(0, f);
    }
}

void MetadataView::setMetadata(const QByteArray &raw)
{
    clear();
    if (raw.isEmpty()) {
        addRow(tr("(none)"), QString(), false);
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(raw);
    if (!doc.isObject()) {
        const bool text = engine::PayloadDecoder::invalidUtf8Offset(raw) < 0;
        addRow(tr("(not a JSON object)"),
               text ? QString::fromUtf8(raw.left(kMaxValueChars)) : QString::fromLatin1(raw.left(1024).toHex(' ')),
               false);
        return;
    }
    const QJsonObject o = doc.object();
    auto valueText = [](const QJsonValue &v) {
        return v.isString() ? v.toString().left(kMaxValueChars) : engine::JsonFormat::compact(v, kMaxValueChars);
    };
    const QStringList system = {QStringLiteral("$correlationId"), QStringLiteral("$causationId")};
    for (const QString &k : system)
        if (o.contains(k))
            addRow(k, valueText(o.value(k)), true);
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!system.contains(it.key()))
            addRow(it.key(), valueText(it.value()), it.key().startsWith(QLatin1Char('$')));
}

} // namespace chronoscope::views
