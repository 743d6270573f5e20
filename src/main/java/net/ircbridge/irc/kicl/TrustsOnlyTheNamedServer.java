package net.ircbridge.irc.kicl;

import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * Trusts an IRC server's TLS certificate only if a trusted CA signed it <em>and</em> it is for the host the bridge
 * connects to: a DNS name (wildcards only as the whole leftmost label) or an IP address in its subject alternative
 * names (the subject's CN only when it has none at all). KICL 9.0.0 builds its Netty TLS context itself and sets no
 * endpoint identification, so the chain alone would let anyone with any publicly trusted certificate pose as the
 * network; the trust manager it is given is the one place where the host can still be checked. The host is the
 * engine's peer host, which Netty sets from KICL's server address (and which also goes out as SNI for a DNS name).
 *
 * <p>A refusal is a {@link ServerCertificateRefused} that names the certificate's names and the host.
 */
final class TrustsOnlyTheNamedServer extends RefusesClientCertificates {

    /** Names of a certificate shown in a refusal, at most: a certificate may carry very many. */
    private static final int NAMES_SHOWN = 5;
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final X509ExtendedTrustManager chain;
    private final String trustedCas;

    private TrustsOnlyTheNamedServer(X509ExtendedTrustManager chain, String trustedCas) {
        this.chain = chain;
        this.trustedCas = trustedCas;
    }

    /**
     * Trust for TLS connections: the chain checked by {@code cas}' trust manager, the host name by this class.
     *
     * @param trustedCas what {@code cas} holds, for refusals ("the JVM's trusted CAs", "the CAs in ca.pem")
     */
    static TrustManagerFactory verifying(TrustManagerFactory cas, String trustedCas) {
        for (TrustManager tm : cas.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new Fixed(new TrustsOnlyTheNamedServer(x, trustedCas));
            }
        }
        throw new IllegalStateException("no X.509 trust manager for " + trustedCas);
    }

    /** The JVM's trusted CAs (its {@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    static TrustManagerFactory jvmCas() {
        try {
            TrustManagerFactory t = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            t.init((KeyStore) null);
            return t;
        } catch (NoSuchAlgorithmException | KeyStoreException e) {
            throw new IllegalStateException("Cannot load the JVM's trusted CAs", e);
        }
    }

    /** Only the CA certificates of a PEM file. */
    static TrustManagerFactory pemCas(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalStateException(file + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory t = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            t.init(store);
            return t;
        } catch (IOException | CertificateException | KeyStoreException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot read the CA certificates in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Trust in any certificate at all, for a network configured with {@code tls-verify: false}. */
    static TrustManagerFactory anything() {
        return new Fixed(new RefusesClientCertificates() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        String host = engine == null ? null : engine.getPeerHost();
        try {
            this.chain.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw untrusted(chain, host, e);
        }
        checkName(chain, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        String host = socket instanceof javax.net.ssl.SSLSocket ssl && ssl.getHandshakeSession() != null
                ? ssl.getHandshakeSession().getPeerHost() : null;
        try {
            this.chain.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw untrusted(chain, host, e);
        }
        checkName(chain, host);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // Without a connection there is no host to check it against: never trusted.
        throw new ServerCertificateRefused("the bridge cannot tell which server the TLS certificate should be for", null);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return this.chain.getAcceptedIssuers();
    }

    private ServerCertificateRefused untrusted(X509Certificate[] chain, String host, CertificateException e) {
        String names = chain == null || chain.length == 0 ? "no name" : describe(names(chain[0]));
        return new ServerCertificateRefused("the TLS certificate of " + (host == null ? "the server" : host) + " (for " + names
                + ") is not signed by " + this.trustedCas + ": " + e.getMessage(), e);
    }

    private static void checkName(X509Certificate[] chain, String host) throws ServerCertificateRefused {
        if (host == null || host.isEmpty()) {
            throw new ServerCertificateRefused("the bridge cannot tell which server the TLS certificate should be for", null);
        }
        if (chain == null || chain.length == 0 || !isFor(chain[0], host)) {
            List<String> names = chain == null || chain.length == 0 ? List.of() : names(chain[0]);
            throw new ServerCertificateRefused("the TLS certificate of " + host + " is for " + describe(names) + ", not for "
                    + host + ": it may be another server posing as it", null);
        }
    }

    /** The certificate's names, cleaned and shortened for a message: at most {@value #NAMES_SHOWN}, then how many more. */
    static String describe(List<String> names) {
        if (names.isEmpty()) {
            return "no name";
        }
        List<String> shown = new ArrayList<>();
        for (String n : names.subList(0, Math.min(NAMES_SHOWN, names.size()))) {
            String clean = n.replaceAll("[\\p{Cntrl}\\s]", "?");
            shown.add(clean.length() > 80 ? clean.substring(0, 80) + "…" : clean);
        }
        return String.join(", ", shown) + (names.size() > NAMES_SHOWN ? " and " + (names.size() - NAMES_SHOWN) + " more" : "");
    }

    /** The names a certificate is for: its DNS and IP subject alternative names, or its subject's CN when it has none. */
    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        Collection<List<?>> alternatives = alternativeNames(certificate);
        if (alternatives != null) {
            for (List<?> entry : alternatives) {
                if (entry.size() >= 2 && entry.get(1) instanceof String value && (isType(entry, 2) || isType(entry, 7))) {
                    names.add(value);
                }
            }
            return names;
        }
        String cn = commonName(certificate);
        if (cn != null) {
            names.add(cn);
        }
        return names;
    }

    /**
     * Whether a certificate is for a host: an IP address must be one of its IP subject alternative names; a DNS name
     * one of its DNS names (a wildcard {@code *.example.org} stands for exactly one whole leftmost label), or its
     * subject's CN when it has no subject alternative names at all.
     */
    static boolean isFor(X509Certificate certificate, String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        Collection<List<?>> alternatives = alternativeNames(certificate);
        if (isIpLiteral(h)) {
            if (alternatives == null) {
                return false;
            }
            InetAddress address = literal(h);
            for (List<?> entry : alternatives) {
                if (isType(entry, 7) && entry.get(1) instanceof String ip && isIpLiteral(ip) && address != null
                        && address.equals(literal(ip))) {
                    return true;
                }
            }
            return false;
        }
        String name = dnsName(h);
        if (name == null) {
            return false;
        }
        if (alternatives == null) {
            String cn = commonName(certificate);
            return cn != null && dnsMatches(dnsName(cn), name);
        }
        for (List<?> entry : alternatives) {
            if (isType(entry, 2) && entry.get(1) instanceof String dns && dnsMatches(dnsName(dns), name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String name) {
        if (pattern == null) {
            return false;
        }
        if (!pattern.startsWith("*.")) {
            return !pattern.contains("*") && pattern.equals(name);
        }
        String suffix = pattern.substring(1); // ".example.org"
        int dot = name.indexOf('.');
        // One whole label, and not a wildcard for a top-level domain ("*.org").
        return dot > 0 && suffix.indexOf('.', 1) > 0 && !suffix.contains("*") && name.substring(dot).equals(suffix);
    }

    /** A DNS name in lower-case ASCII without a trailing dot, or null when it is not one. */
    private static String dnsName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        try {
            n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return null;
        }
        n = n.toLowerCase(Locale.ROOT);
        return n.isEmpty() || n.length() > 253 ? null : n;
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
    }

    /** An IP address literal, parsed without any name lookup (InetAddress looks up nothing for a literal). */
    private static InetAddress literal(String ip) {
        if (!IPV4.matcher(ip).matches() && !ip.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isType(List<?> entry, int type) {
        return entry.size() >= 2 && entry.get(0) instanceof Integer t && t == type;
    }

    private static Collection<List<?>> alternativeNames(X509Certificate certificate) {
        try {
            return certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(dn).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return null;
        }
        return null;
    }

    /** A trust manager factory that hands out one trust manager, the form KICL takes trust in. */
    private static final class Fixed extends TrustManagerFactory {
        private static final Provider PROVIDER = new Provider("IrcBridgeTrust", "1.0", "trust for the bridge's IRC connections") {
        };

        Fixed(X509TrustManager manager) {
            super(new TrustManagerFactorySpi() {
                @Override
                protected void engineInit(KeyStore ks) {
                }

                @Override
                protected void engineInit(ManagerFactoryParameters spec) {
                }

                @Override
                protected TrustManager[] engineGetTrustManagers() {
                    return new TrustManager[] {manager};
                }
            }, PROVIDER, "IrcBridgeTrust");
        }
    }
}
