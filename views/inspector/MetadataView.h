#pragma once

#include <QTreeWidget>

namespace chronoscope::views {

/// An event's metadata in plain view, one row per key: the system keys people look for first
/// ($correlationId, $causationId), then the others as the object has them. Metadata that is not
/// a JSON object is shown as text (or hex) in one row that says so.
class MetadataView : public QTreeWidget
{
    Q_OBJECT
public:
    explicit MetadataView(QWidget *parent = nullptr);
    void setMetadata(const QByteArray &metadata);

    /// Longer values are cut.
    static constexpr qsizetype kMaxValueChars = 4096;

private:
    void addRow(const QString &key, const QString &value, bool system);
};

} // namespace chronoscope::views
