/// Fixtures made once with Python's `cryptography` 48 and PyJWT 2.15, an implementation
/// independent of ours: a fresh 2048-bit RSA key, its public half in both PEM structures and as
/// JWK `n`/`e`, a token PyJWT signed with it, and a copy whose payload was edited without
/// re-signing. The private key was thrown away. To make new ones:
///
///     key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
///     pub = key.public_key()  # .public_bytes(PEM, SubjectPublicKeyInfo | PKCS1)
///     token = jwt.encode({"sub": "user_2hK9abc", "iss": "https://clerk.example.com",
///         "exp": 1718031660, "iat": 1718031600, "metadata": {"role": "expert"}},
///         key, algorithm="RS256", headers={"kid": "ins_test"})
///     # tampered: decode the payload, set metadata.role = "admin", re-encode, keep the signature
enum Fixtures {
    static let publicKeySPKI = """
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAv/eCyIz9N8TzKjdBsP4u
KYGkQHTdMkPfjfcoycPjWV4WL8GTM8RFDs0tLlUqcdabRQ9GLiPnl4vRj8d2B66i
SrKeElhFpboeS41vpWI3KWkNb+6gN2ORMjVmkOcXs5+4OrAB5EB4oFpU+cbXCYtI
JvFfZGtGaOjjE7IpXrVw0e++fodW88wFClSTijEap5N2vWsJSj6BSyuA6uVIA/1L
oPLoS7KGgFI9WhsUr34O0w8o6TRYuFWohd3WGEFGQfVPLbFRqlkLvEdF0j6VM3vo
ckKFUzWwH1B2PeMZ/Pj5EABg4GBcfzY5sIX857Q9b7PYgR/amxKE34yBd9TWp+y1
RQIDAQAB
-----END PUBLIC KEY-----
"""

    static let publicKeyPKCS1 = """
-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAv/eCyIz9N8TzKjdBsP4uKYGkQHTdMkPfjfcoycPjWV4WL8GTM8RF
Ds0tLlUqcdabRQ9GLiPnl4vRj8d2B66iSrKeElhFpboeS41vpWI3KWkNb+6gN2OR
MjVmkOcXs5+4OrAB5EB4oFpU+cbXCYtIJvFfZGtGaOjjE7IpXrVw0e++fodW88wF
ClSTijEap5N2vWsJSj6BSyuA6uVIA/1LoPLoS7KGgFI9WhsUr34O0w8o6TRYuFWo
hd3WGEFGQfVPLbFRqlkLvEdF0j6VM3vockKFUzWwH1B2PeMZ/Pj5EABg4GBcfzY5
sIX857Q9b7PYgR/amxKE34yBd9TWp+y1RQIDAQAB
-----END RSA PUBLIC KEY-----
"""

    static let jwkN = "v_eCyIz9N8TzKjdBsP4uKYGkQHTdMkPfjfcoycPjWV4WL8GTM8RFDs0tLlUqcdabRQ9GLiPnl4vRj8d2B66iSrKeElhFpboeS41vpWI3KWkNb-6gN2ORMjVmkOcXs5-4OrAB5EB4oFpU-cbXCYtIJvFfZGtGaOjjE7IpXrVw0e--fodW88wFClSTijEap5N2vWsJSj6BSyuA6uVIA_1LoPLoS7KGgFI9WhsUr34O0w8o6TRYuFWohd3WGEFGQfVPLbFRqlkLvEdF0j6VM3vockKFUzWwH1B2PeMZ_Pj5EABg4GBcfzY5sIX857Q9b7PYgR_amxKE34yBd9TWp-y1RQ"
    static let jwkE = "AQAB"

    /// Header {"alg":"RS256","kid":"ins_test","typ":"JWT"}; payload sub user_2hK9abc,
    /// metadata.role expert.
    static let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc190ZXN0IiwidHlwIjoiSldUIn0.eyJzdWIiOiJ1c2VyXzJoSzlhYmMiLCJpc3MiOiJodHRwczovL2NsZXJrLmV4YW1wbGUuY29tIiwiZXhwIjoxNzE4MDMxNjYwLCJpYXQiOjE3MTgwMzE2MDAsIm1ldGFkYXRhIjp7InJvbGUiOiJleHBlcnQifX0.CPtZFr5SLLSbjbZeckFSeQcK7w6nhUIR_UVlacBJCxpX_tccDDwHYK-C2hNb4PtNFg8NuL4MzcZ6jWj3wr84neVpcVN2q_2Pjr2KHvhyaS1A7TmNh__3_OVIXOEKhtscP60zflhNPJ_W6r0i_mTlZTlojlVGPwJMxPd5puzZm77Ly-8AWgWLt2PCbwlD6MvOTexkykY9_lVWAlyphEC2SuDZhtYCPapwn4S3aiKCkh5eBobWYMHfx2AUHna0Xhqj1TWmC1cxiZAwcvQfXWLDYfLS_Znfbv4Wri-C0cCtdKTMKFhlog8H6hzA4hrxQsO0BvS6n80kZ5EI4RCiFh2XHg"

    /// `token` with metadata.role changed to admin and the original signature kept.
    static let tamperedToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc190ZXN0IiwidHlwIjoiSldUIn0.eyJzdWIiOiJ1c2VyXzJoSzlhYmMiLCJpc3MiOiJodHRwczovL2NsZXJrLmV4YW1wbGUuY29tIiwiZXhwIjoxNzE4MDMxNjYwLCJpYXQiOjE3MTgwMzE2MDAsIm1ldGFkYXRhIjp7InJvbGUiOiJhZG1pbiJ9fQ.CPtZFr5SLLSbjbZeckFSeQcK7w6nhUIR_UVlacBJCxpX_tccDDwHYK-C2hNb4PtNFg8NuL4MzcZ6jWj3wr84neVpcVN2q_2Pjr2KHvhyaS1A7TmNh__3_OVIXOEKhtscP60zflhNPJ_W6r0i_mTlZTlojlVGPwJMxPd5puzZm77Ly-8AWgWLt2PCbwlD6MvOTexkykY9_lVWAlyphEC2SuDZhtYCPapwn4S3aiKCkh5eBobWYMHfx2AUHna0Xhqj1TWmC1cxiZAwcvQfXWLDYfLS_Znfbv4Wri-C0cCtdKTMKFhlog8H6hzA4hrxQsO0BvS6n80kZ5EI4RCiFh2XHg"
}
