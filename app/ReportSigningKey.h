#pragma once

#include <QObject>
#include <QPointer>

#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace chronoscope {

namespace views {
class CredentialStore;
}

/// The user's report signing key (F10): an Ed25519 private key kept only in the credential store
/// (the OS keychain, or this session's memory where there is none) — never in a file, a setting
/// or a log. File ▸ Generate Report Signing Key… makes one (asking before replacing one), and
/// File ▸ Export Signing Public Key… writes the public half as PEM for whoever verifies reports.
class ReportSigningKey : public QObject
{
    Q_OBJECT
public:
    /// The credential store entry (the value is the raw private key in base64).
    static constexpr const char *kStoreKey = "report-signing-key/ed25519";

    /// Adds the two actions to `menu`; `store` is not owned.
    ReportSigningKey(views::CredentialStore *store, QWidget *window, QMenu *menu);

    /// For tests: another store (a fake).
    void setStore(views::CredentialStore *store);

    /// The private key, later: `done(key, problem)`; both empty when no key was made yet.
    using KeyCallback = std::function<void(const QByteArray &privateKey, const QString &problem)>;
    void fetch(KeyCallback done);
    /// Makes a new key and stores it (replacing any), then emits generated().
    void generate();
    /// Writes the public key as PEM to `path`, then emits exported().
    void exportPublicKey(const QString &path);

Q_SIGNALS:
    /// `fingerprint` of the new public key, empty on failure; `message` says what happened.
    void generated(const QString &fingerprint, const QString &message);
    void exported(const QString &path, const QString &error);

private:
    void askGenerate();
    void askExport();

    QPointer<views::CredentialStore> m_store;
    QWidget *m_window;
    QAction *m_generate;
    QAction *m_export;
};

} // namespace chronoscope
