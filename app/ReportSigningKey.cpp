#include "ReportSigningKey.h"

#include "connection/CredentialStore.h"
#include "report/Ed25519.h"
#include "report/ReportSignature.h"

#include <QAbstractButton>
#include <QAction>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>

namespace chronoscope {

using views::CredentialStore;

ReportSigningKey::ReportSigningKey(CredentialStore *store, QWidget *window, QMenu *menu)
    : QObject(window)
    , m_store(store)
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
    m_store = store;
}

void ReportSigningKey::fetch(KeyCallback done)
{
    if (!m_store) {
        done({}, tr("no credential store"));
        return;
    }
    m_store->readPassword(QString::fromLatin1(kStoreKey), [done](const CredentialStore::Result &r) {
        if (r.status == CredentialStore::Status::NotFound) {
            done({}, {});
            return;
        }
        if (r.status != CredentialStore::Status::Ok) {
            done({}, tr("the keychain could not be read: %1").arg(r.message));
            return;
        }
        const auto key = QByteArray::fromBase64Encoding(r.password.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!key || key.decoded.size() != Ed25519::kKeyBytes) {
            done({}, tr("the stored signing key is damaged: generate a new one"));
            return;
        }
        done(key.decoded, {});
    });
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
    QString error;
    std::optional<Ed25519::KeyPair> pair = Ed25519::generate(&error);
    if (!pair || !m_store) {
        Q_EMIT generated({}, tr("No signing key was made: %1").arg(pair ? tr("no credential store") : error));
        return;
    }
    const QString fingerprint = Ed25519::fingerprint(pair->publicKey);
    const QString secret = QString::fromLatin1(pair->privateKey.toBase64());
    pair->privateKey.fill('\0');
    m_store->writePassword(QString::fromLatin1(kStoreKey), secret, [this, fingerprint](const CredentialStore::Result &r) {
        const QString shortPrint = ReportSignature::shortFingerprint(fingerprint);
        if (r.status == CredentialStore::Status::Ok)
            Q_EMIT generated(fingerprint, tr("Report signing key made and kept in the keychain (fingerprint %1)").arg(shortPrint));
        else
            Q_EMIT generated(fingerprint, tr("Report signing key made (fingerprint %1), but the keychain could not keep it: "
                                             "it signs reports in this session only")
                                              .arg(shortPrint));
    });
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
    fetch([this, path](const QByteArray &privateKey, const QString &problem) {
        QString error = problem;
        if (error.isEmpty() && privateKey.isEmpty())
            error = tr("there is no signing key yet: File ▸ Generate Report Signing Key… makes one");
        QByteArray pem;
        if (error.isEmpty())
            pem = Ed25519::publicKeyToPem(Ed25519::publicKeyOf(privateKey, &error), &error);
        if (error.isEmpty()) {
            QSaveFile out(path);
            if (!out.open(QIODevice::WriteOnly) || out.write(pem) != pem.size() || !out.commit())
                error = tr("cannot write %1: %2").arg(path, out.errorString());
        }
        Q_EMIT exported(path, error);
    });
}

} // namespace chronoscope
