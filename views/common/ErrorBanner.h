#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace chronoscope::views {

/// A non-modal error line across the top of the window: the newest notice, its details behind a
/// Details button, a count when the same notice came again, and a way to the list of all notices.
/// It stays until the user dismisses it or a newer notice replaces it.
class ErrorBanner : public QFrame
{
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showError(const QString &message, const QString &details = {});
    /// The notice shown came again: "(×count)" after its text.
    void setRepeats(int count);
    /// The message shown (without details); empty when the banner is hidden.
    QString message() const;
    QString details() const { return m_details; }
    bool detailsShown() const;

Q_SIGNALS:
    /// "All notices…" was clicked.
    void showAllRequested();

private:
    void updateText();

    QLabel *m_text;
    QLabel *m_detailsText;
    QToolButton *m_detailsButton;
    QString m_message;
    QString m_details;
    int m_repeats = 1;
};

} // namespace chronoscope::views
