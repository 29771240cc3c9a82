#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace chronoscope::views {

/// A status-bar piece for one long read: what is loading, a busy bar and a Cancel button. Hidden
/// when nothing loads.
class LoadIndicator : public QWidget
{
    Q_OBJECT
public:
    explicit LoadIndicator(QWidget *parent = nullptr);

    void start(const QString &text);
    void setText(const QString &text);
    void finish();
    QString text() const;

Q_SIGNALS:
    void cancelRequested();

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancel;
};

} // namespace chronoscope::views
