-- The phone's device key (issue 19 item 4): the village officer's offline copy and outbox are
-- encrypted on the phone (AES-GCM, WebCrypto) under a key the server releases only to the officer
-- signed in with an enabled account. The key itself is never stored: it is derived on the server
-- from the installation's identifier secret, the account and its generation (field/device-key.service.ts),
-- so this row holds only which generation is current. Signing out of the phone moves the account to
-- a new generation: a copy left behind under the old one can no longer be opened, and a package or
-- sync still carrying the old generation is refused (FIELD_KEY_ROTATED).

CREATE TABLE field_device_key (
  account_id  bigint PRIMARY KEY REFERENCES account(id),
  generation  integer NOT NULL DEFAULT 1 CHECK (generation >= 1),
  -- Last release of the current generation to a signed-in phone.
  released_at timestamptz,
  -- Last move to a new generation (a sign-out on the phone).
  rotated_at  timestamptz
);
