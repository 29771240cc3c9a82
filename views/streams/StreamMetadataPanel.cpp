#include "streams/StreamMetadataPanel.h"

#include "catalog/StreamInfoFetcher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <limits>

namespace chronoscope::views {

namespace {
QString row(const QString &key, const QString &value)
{
    return QStringLiteral("<tr><td><b>%1</b>&nbsp;</td><td>%2</td></tr>").arg(key.toHtmlEscaped(), value.toHtmlEscaped());
}

QString duration(qint64 seconds)
{
    if (seconds % 86400 == 0)
        return StreamMetadataPanel::tr("%1 s (%2 d)").arg(seconds).arg(seconds / 86400);
    if (seconds % 3600 == 0)
        return StreamMetadataPanel::tr("%1 s (%2 h)").arg(seconds).arg(seconds / 3600);
    return StreamMetadataPanel::tr("%1 s").arg(seconds);
}

QString aclRows(const StreamAcl &acl)
{
    QString out;
    const std::pair<const char *, const QStringList *> entries[] = {
        {"$r", &acl.readRoles}, {"$w", &acl.writeRoles}, {"$d", &acl.deleteRoles},
        {"$mr", &acl.metaReadRoles}, {"$mw", &acl.metaWriteRoles}};
    for (const auto &[key, roles] : entries) {
        if (!roles->isEmpty())
            out += row(QStringLiteral("$acl.") + QLatin1String(key), roles->join(QStringLiteral(", ")));
    }
    return out;
}
} // namespace

StreamMetadataPanel::StreamMetadataPanel(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
{
    m_label->setObjectName(QStringLiteral("streamMetadataText"));
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    // Long ACLs or custom values wrap: they must not widen the Streams dock.
    m_label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_label->setMinimumWidth(0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_label);
    clear();
}

void StreamMetadataPanel::showLoading(const QByteArray &stream)
{
    m_label->setText(tr("<b>%1</b><br>Reading metadata…").arg(QString::fromUtf8(stream).toHtmlEscaped()));
}

void StreamMetadataPanel::clear()
{
    m_label->setText(QString());
    setVisible(false);
}

void StreamMetadataPanel::showInfo(const StreamInfo &info)
{
    setVisible(true);
    QString state;
    switch (info.deletion) {
    case StreamDeletion::Tombstoned:
        state = tr("Tombstoned (hard deleted): it can never be written again");
        break;
    case StreamDeletion::SoftDeleted:
        state = tr("Deleted (soft): appending recreates it");
        break;
    case StreamDeletion::None:
        state = info.lastRevision ? tr("Last revision %1").arg(QLocale().toString(*info.lastRevision))
                                  : tr("No readable events");
        break;
    }
    QString rows;
    if (info.error)
        rows += row(tr("Metadata"), info.error.toString());
    else if (!info.metadata)
        rows += row(tr("Metadata"), tr("none"));
    if (const std::optional<StreamMetadata> &m = info.metadata) {
        if (m->maxCount)
            rows += row(QStringLiteral("$maxCount"), QLocale().toString(*m->maxCount));
        if (m->maxAgeSeconds)
            rows += row(QStringLiteral("$maxAge"), duration(*m->maxAgeSeconds));
        if (m->truncateBefore)
            rows += row(QStringLiteral("$tb"), *m->truncateBefore == std::numeric_limits<qint64>::max()
                                                   ? tr("max (soft deleted)")
                                                   : QLocale().toString(*m->truncateBefore));
        if (m->cacheControlSeconds)
            rows += row(QStringLiteral("$cacheControl"), duration(*m->cacheControlSeconds));
        if (m->acl)
            rows += aclRows(*m->acl);
        for (auto it = m->custom.begin(); it != m->custom.end(); ++it) {
            const QJsonValue v = it.value();
            const QString text = v.isString() ? v.toString()
                : v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
                : v.isArray()  ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                               : v.toVariant().toString();
            rows += row(it.key(), text);
        }
    }
    m_label->setText(QStringLiteral("<b>%1</b><br>%2<table>%3</table>")
                         .arg(QString::fromUtf8(info.stream).toHtmlEscaped(), state.toHtmlEscaped(), rows));
}

QString StreamMetadataPanel::text() const
{
    return QTextDocumentFragment::fromHtml(m_label->text()).toPlainText();
}

} // namespace chronoscope::views
