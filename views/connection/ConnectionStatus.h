#pragma once

#include <QWidget>

class QLabel;

namespace chronoscope::views {

/// The status bar's account of the connection: its state (connecting, connected, unreachable),
/// the node answering and the server's version. Only what the server confirmed reads "Connected".
class ConnectionStatus : public QWidget
{
    Q_OBJECT
public:
    enum class State { NotConnected, Starting, Connecting, Connected, Unreachable };

    explicit ConnectionStatus(QWidget *parent = nullptr);

    /// `target` is the redacted connection string (never credentials).
    void setConnecting(const QString &target);
    /// The demo's own server is being made: `text` says what happens.
    void setStarting(const QString &text);
    void setConnected(const QString &node, const QString &version);
    void setUnreachable(const QString &reason);
    /// No server at all, by choice: an archive is open offline; `text` says which.
    void setOffline(const QString &text);

    State state() const { return m_state; }
    QString stateText() const;
    QString nodeText() const;
    QString versionText() const;

private:
    void setState(State state, const QString &text);

    State m_state = State::NotConnected;
    QString m_target;
    QString m_stateText;
    QLabel *m_stateLabel;
    QLabel *m_nodeLabel;
    QLabel *m_versionLabel;
};

} // namespace chronoscope::views
