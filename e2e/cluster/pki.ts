// Certificates and keys for the local control plane: a CA, the kube-apiserver serving certificate and the
// service-account signing key pair. Written once per cluster into its state directory.
import 'reflect-metadata'; // required by @peculiar/x509 (tsyringe), first of all (jest links CJS imports early)
import * as x509 from '@peculiar/x509';
import { pemPrivateKey, serialNumber } from '../../operator/api/self-signed.js';
import { generateKeyPairSync, webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  saPublicKey: string;
  saPrivateKey: string;
}

export async function generatePki(hosts: { ips: string[]; dns: string[] }): Promise<Pki> {
  const notBefore = new Date(Date.now() - 3600 * 1000);
  const notAfter = new Date(Date.now() + YEAR_MS);
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=rbi-operator-e2e-ca',
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...hosts.dns.map((value) => ({ type: 'dns' as const, value })),
        ...hosts.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    caCert: ca.toString('pem') + '\n',
    caKey: await pemPrivateKey(caKeys.privateKey),
    serverCert: server.toString('pem') + '\n',
    serverKey: await pemPrivateKey(serverKeys.privateKey),
    saPublicKey: sa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    saPrivateKey: sa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
