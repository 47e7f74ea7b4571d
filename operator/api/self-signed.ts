// An in-memory self-signed serving certificate for the query API (`--api-tls-self-signed`), so TLS is on even where
// no certificate was provisioned: clients that pin nothing still get an encrypted channel; clients that verify use a
// provisioned certificate (the Secret the manifests mount, e.g. from cert-manager), which takes precedence.
import 'reflect-metadata'; // required by @peculiar/x509 (tsyringe)
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALID_MS = 365 * 24 * 3600 * 1000;

/** A private key as PKCS#8 PEM. */
export async function pemPrivateKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
}

/** A random positive certificate serial number (hex). */
export const serialNumber = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
    .toString('hex')
    .replace(/^[89a-f]/, '1');

/** A P-256 certificate and key (PEM) for `dnsNames` (and 127.0.0.1), valid for a year from an hour ago. */
export async function selfSignedCertificate(dnsNames: readonly string[]): Promise<{ cert: string; key: string }> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${dnsNames[0] ?? 'rbi-operator'}`,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + VALID_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
        { type: 'ip' as const, value: '127.0.0.1' },
      ]),
    ],
  });
  return { cert: cert.toString('pem'), key: await pemPrivateKey(keys.privateKey) };
}
