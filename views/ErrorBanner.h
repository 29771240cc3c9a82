#pragma once

#include <QFrame>

class QLabel;

namespace chronoscope::views {

/// A non-modal error line across the top of the window: one message at a time, with its details,
/// until the user dismisses it or the next message replaces it.
class ErrorBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showError(const QString &message, const QString &details = {});
    /// The message shown (without details); empty when the banner is hidden.
    QString message() const;

private:
    QLabel *m_text;
    QString m_message;
};

} // namespace chronoscope::views
