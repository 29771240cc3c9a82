#pragma once

#include <QWidget>

class QLabel;

namespace chronoscope {
struct StreamInfo;
}

namespace chronoscope::views {

/// A read-only summary of the selected stream under the stream list: whether it is deleted
/// (soft or tombstoned), its last revision, and its metadata — `$maxCount`, `$maxAge`, `$tb`,
/// `$cacheControl`, `$acl` and custom keys. It only shows what it is given (StreamInfoFetcher).
class StreamMetadataPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StreamMetadataPanel(QWidget *parent = nullptr);

    void showLoading(const QByteArray &stream);
    void showInfo(const StreamInfo &info);
    void clear();
    /// The text shown, as plain text (tests read it).
    QString text() const;

private:
    QLabel *m_label;
};

} // namespace chronoscope::views
