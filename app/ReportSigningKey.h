#pragma once

#include "report/SigningKeyStore.h"

#include <QObject>

class QAction;
class QMenu;
class QWidget;

namespace chronoscope {

class CredentialStore;

/// The File menu's side of the report signing key (F10), kept by core's SigningKeyStore in the
/// credential store: File ▸ Generate Report Signing Key… makes one (asking before replacing one),
/// and File ▸ Export Signing Public Key… writes the public half as PEM for whoever verifies reports.
class ReportSigningKey : public QObject
{
    Q_OBJECT
public:
    /// Adds the two actions to `menu`; `store` is not owned.
    ReportSigningKey(CredentialStore *store, QWidget *window, QMenu *menu);

    /// For tests: another store (a fake).
    void setStore(CredentialStore *store);

    /// The private key, later: `done(key, problem)`; both empty when no key was made yet.
    void fetch(SigningKeyStore::KeyCallback done);
    /// What fetch() gave, for the message after a signed export: "signed, key 3f2a 91c0 …" or why unsigned.
    static QString signingNote(const QByteArray &key, const QString &problem);
    SigningKeyStore *store() const { return m_keys; }
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

    SigningKeyStore *m_keys;
    QWidget *m_window;
    QAction *m_generate;
    QAction *m_export;
};

} // namespace chronoscope
