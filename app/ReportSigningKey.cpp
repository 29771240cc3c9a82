#include "ReportSigningKey.h"

#include "report/Ed25519.h"
#include "report/ReportSignature.h"

#include <QAbstractButton>
#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>

namespace chronoscope {

ReportSigningKey::ReportSigningKey(CredentialStore *store, QWidget *window, QMenu *menu)
    : QObject(window)
    , m_keys(new SigningKeyStore(store, this))
    , m_window(window)
    , m_generate((menu->addSeparator(), menu->addAction(tr("Generate Report &Signing Key…"))))
    , m_export(menu->addAction(tr("Export Signing &Public Key…")))
{
    m_generate->setObjectName(QStringLiteral("generateSigningKeyAction"));
    m_generate->setToolTip(tr("Make an Ed25519 key that signs examination reports; it is kept in the system keychain"));
    m_export->setObjectName(QStringLiteral("exportPublicKeyAction"));
    m_export->setToolTip(tr("Save the public half of the signing key (PEM) for whoever verifies your reports"));
    connect(m_generate, &QAction::triggered, this, &ReportSigningKey::askGenerate);
    connect(m_export, &QAction::triggered, this, &ReportSigningKey::askExport);
}

void ReportSigningKey::setStore(CredentialStore *store)
{
    m_keys->setStore(store);
}

void ReportSigningKey::fetch(SigningKeyStore::KeyCallback done)
{
    m_keys->fetch(std::move(done));
}

QString ReportSigningKey::signingNote(const QByteArray &key, const QString &problem)
{
    if (!key.isEmpty())
        return tr("signed, key %1")
            .arg(ReportSignature::shortFingerprint(Ed25519::fingerprint(Ed25519::publicKeyOf(key))));
    return problem.isEmpty() ? tr("unsigned: File ▸ Generate Report Signing Key… makes a key")
                             : tr("unsigned: %1").arg(problem);
}

void ReportSigningKey::askGenerate()
{
    fetch([this](const QByteArray &existing, const QString &) {
        if (!existing.isEmpty()) {
            auto *box = new QMessageBox(QMessageBox::Question, tr("Generate Report Signing Key"),
                                        tr("A signing key exists (fingerprint %1). Replace it? Reports signed with it "
                                           "still verify, but not against a new public key.")
                                            .arg(ReportSignature::shortFingerprint(Ed25519::fingerprint(Ed25519::publicKeyOf(existing)))),
                                        QMessageBox::Yes | QMessageBox::Cancel, m_window);
            box->setAttribute(Qt::WA_DeleteOnClose);
            connect(box, &QMessageBox::buttonClicked, this, [this, box](QAbstractButton *button) {
                if (box->standardButton(button) == QMessageBox::Yes)
                    generate();
            });
            box->open(); // window-modal, not a nested event loop
            return;
        }
        generate();
    });
}

void ReportSigningKey::generate()
{
    m_keys->generate(
        [this](const QString &fingerprint, const QString &message) { Q_EMIT generated(fingerprint, message); });
}

void ReportSigningKey::askExport()
{
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Signing Public Key"),
                                                      QStringLiteral("chronoscope-signing-key.pub.pem"),
                                                      tr("PEM public key (*.pem)"));
    if (!path.isEmpty())
        exportPublicKey(path);
}

void ReportSigningKey::exportPublicKey(const QString &path)
{
    m_keys->publicKeyPem([this, path](const QByteArray &pem, const QString &problem) {
        QString error = problem;
        if (error.isEmpty()) {
            QSaveFile out(path);
            if (!out.open(QIODevice::WriteOnly) || out.write(pem) != pem.size() || !out.commit())
                error = tr("cannot write %1: %2").arg(path, out.errorString());
        }
        Q_EMIT exported(path, error);
    });
}

} // namespace chronoscope
