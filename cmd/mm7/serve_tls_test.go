package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCert issues a certificate (self-signed when parent is nil) and
// returns it with its key.
func testCert(t *testing.T, cn string, isCA bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: isCA, BasicConstraintsValid: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func TestServeTLSClientCertificates(t *testing.T) {
	dir := t.TempDir()
	ca, caKey, caPEM, _ := testCert(t, "mmsc-ca", true, nil, nil)
	_, _, srvPEM, srvKeyPEM := testCert(t, "vasp", false, ca, caKey)
	_, _, cliPEM, cliKeyPEM := testCert(t, "mmsc", false, ca, caKey)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o600))
		return p
	}
	s := startServeCmd(t, nil, t.TempDir(), "--tls-cert", write("srv.pem", srvPEM), "--tls-key", write("srv.key", srvKeyPEM),
		"--tls-client-ca", write("ca.pem", caPEM))
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	msg, atts, _ := moMessage("tx-tls")
	ct, body := encodeMessage(t, msg, atts...)
	url := "https" + s.url[len("http"):]
	postTLS := func(certs []tls.Certificate) (*http.Response, error) {
		c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: certs}}}
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		return c.Do(req)
	}
	cli, err := tls.X509KeyPair(cliPEM, cliKeyPEM)
	require.NoError(t, err)
	resp, err := postTLS([]tls.Certificate{cli})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	_, err = postTLS(nil)
	assert.Error(t, err, "no client certificate: the handshake fails")
	// Plain HTTP is not served.
	resp, err = http.Post(s.url, ct, bytes.NewReader(body))
	if err == nil {
		resp.Body.Close()
		assert.NotEqual(t, 200, resp.StatusCode)
	}
}
