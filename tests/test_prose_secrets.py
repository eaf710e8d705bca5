"""A secret pasted into a member file's prose (`notes`, `contact.name`, `exceptions.php_eol.reason`) is refused by
`pic check`, at its file, line and field, without being shown; the notes admins write without one are accepted
(tests/corpus/prose/accepted.txt, one a line).

Prose is read more strictly than a command (``secrettext.prose_secret``, not ``secret_kind``): only the forms
that are a secret in any prose, and a password after a label that names nothing but a password.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from pic import errors, registry, secrettext
from pic.cli import main
from pic.modelerrors import SubfieldError
from pic.registry import MemberSpec
from tests.conftest import ROOT

ACCEPTED = [
    line
    for line in (ROOT / "tests" / "corpus" / "prose" / "accepted.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
ON = "2026-11-28"

# (text, the kind found, the secret itself: never shown)
REFUSED = [
    ("Ancien hébergeur OVH, ftp://asso:S3cret99@ftp.example.org", "credentials in a URL", "S3cret99"),
    ("base : mysql://velo:Zt8kq2LmW9@db.example.org/velo", "credentials in a URL", "Zt8kq2LmW9"),
    ("Ancien hébergeur OVH, ftp://asso%3AS3cret99@ftp.example.org", "credentials in a URL", "S3cret99"),
    ("mdp phpMyAdmin : Azerty123", "a password", "Azerty123"),
    ("Le mot de passe est Soleil2024!", "a password", "Soleil2024!"),
    ("Mot de passe\u00a0: Lyon69Velo (donné au téléphone)", "a password", "Lyon69Velo"),
    ("mot de passe du compte FTP : « Azerty123 »", "a password", "Azerty123"),
    ("MDP=Azerty123", "a password", "Azerty123"),
    ("mots de passe : Printemps2026 puis Ete2026", "a password", "Printemps2026"),
    ("passphrase de la clé : Soleil42", "a password", "Soleil42"),
    ("password for the admin account: Sunshine2024", "a password", "Sunshine2024"),
    ("The password is hunter22, change it", "a password", "hunter22"),
    ("pwd: Zt8k!q2m", "a password", "Zt8k!q2m"),
    ("Mot de passe : Velosolex Jean", "a password", "Velosolex"),
    ("mdp Azerty123@gmail.com", "a password", "Azerty123"),
    ("le mdp c'est Azerty123", "a password", "Azerty123"),
    ("mdp -> Azerty123 (ancien hébergeur)", "a password", "Azerty123"),
    ("mot de passe WordPress → Velo2024lyon", "a password", "Velo2024lyon"),
    ("The password is now Hunter2024", "a password", "Hunter2024"),
    ("- mdp FTP : `Azerty123`", "a password", "Azerty123"),
    ("* **mot de passe** : **Soleil2024**", "a password", "Soleil2024"),
    ("login veloasso mdp Azerty123", "a password", "Azerty123"),
    # the value alone after the label, in quotes
    ('mdp "Lilas2024"', "a password", "Lilas2024"),
    ("ancien mdp 'Lilas2024' (avant la migration)", "a password", "Lilas2024"),
    ("le mot de passe « Lilas2024 » donné par Marie", "a password", "Lilas2024"),
    ("mot de passe “Lilas2024”", "a password", "Lilas2024"),
    # the value alone in quotes after the label and words saying whose
    ('mot de passe wifi "Lilas2024"', "a password", "Lilas2024"),
    ("mdp du wifi « Lilas2024 »", "a password", "Lilas2024"),
    ('password for the router "Lilas2024"', "a password", "Lilas2024"),
    ("mot de passe du compte FTP 'Lilas2024!' (ancien hébergeur)", "a password", "Lilas2024!"),
    ('Passwort des Routers "Lilas2024"', "a password", "Lilas2024"),
    ("mot de passe wifi `Lilas2024`", "a password", "Lilas2024"),
    ("contraseña del wifi “Lilas2024”", "a password", "Lilas2024"),
    # after a word naming a server, a meeting, a database, a document: as likely that thing's password (a meeting's
    # passcode, a PDF's) as its name; a refusal is reworded (la base wp2024), a password committed stays in the history
    ('mot de passe de la réunion "AG2024"', "a password", "AG2024"),
    ('mot de passe du serveur "web2024"', "a password", "web2024"),
    ('mot de passe du PDF "Compta2024"', "a password", "Compta2024"),
    ('mot de passe de la base "wp2024" changé', "a password", "wp2024"),
    # a password manager's name with more after it is no manager's name
    ("mdp : 1Password2024x", "a password", "1Password2024x"),
    ("mot de passe Azerty123 donné au téléphone", "a password", "Azerty123"),
    # a product's name says whose password follows; alone after the label, a value that names none is one
    ("mdp Office365 : Velo2024x", "a password", "Velo2024x"),
    ("Le mot de passe Windows10 est Velo2024x", "a password", "Velo2024x"),
    ("mdp Office365x2024", "a password", "Office365x2024"),
    # the product's name, then the value alone, as after any label
    ("mdp Office365 Velo2024x", "a password", "Velo2024x"),
    ("mot de passe Livebox5 Azerty123 (au dos de la box)", "a password", "Azerty123"),
    # the platform's software named with its major version says whose, as a product does; the value is still read
    ("mdp MariaDB10 : Velo2024x", "a password", "Velo2024x"),
    ("mot de passe phpMyAdmin5 Velo2024x", "a password", "Velo2024x"),
    ("Le mot de passe MySQL8 est Velo2024x", "a password", "Velo2024x"),
    # a year is no major version: the word is a password
    ("mdp Mysql2024", "a password", "Mysql2024"),
    ("mot de passe MariaDB10x", "a password", "MariaDB10x"),
    ("mdp : MariaDB10", "a password", "MariaDB10"),
    # a number then words, not all of small letters, is no length
    ("mdp : 12-Soleil-2024", "a password", "12-Soleil-2024"),
    ("Passwort: 2024-Velo", "a password", "2024-Velo"),
    ("mot de passe : 8-caracteres-2024!", "a password", "8-caracteres-2024!"),
    # a variable or a setting copied from a configuration: the label as the last word of a name, or in quotes
    ("DB_PASSWORD=Azerty123 (ancien hébergeur)", "a password", "Azerty123"),
    ("MYSQL_PWD=Zt8kq2LmW9", "a password", "Zt8kq2LmW9"),
    ("SMTP_PASS : Soleil2024", "a password", "Soleil2024"),
    ("wp-config : define('DB_PASSWORD', 'Velo2024lyon');", "a password", "Velo2024lyon"),
    ("'password' => 'Velo2024lyon',", "a password", "Velo2024lyon"),
    ("$cfg['Servers'][$i]['password'] = 'Velo2024lyon';", "a password", "Velo2024lyon"),
    ('{"db_password": "Velo2024lyon"}', "a password", "Velo2024lyon"),
    # a password's label in another language an admin or a member may paste, with its copula
    ("Passwort: Geheim2024", "a password", "Geheim2024"),
    ("Das Kennwort ist Geheim2024", "a password", "Geheim2024"),
    ("la contraseña es Velo2024x", "a password", "Velo2024x"),
    ("contrasena del sitio: Velo2024x", "a password", "Velo2024x"),
    ("a senha é Velo2024x", "a password", "Velo2024x"),
    ("wachtwoord: Velo2024x", "a password", "Velo2024x"),
    ("Hasło do konta: Velo2024x", "a password", "Velo2024x"),
    ("haslo jest Velo2024x", "a password", "Velo2024x"),
    ("lösenordet är Velo2024x", "a password", "Velo2024x"),
    ("Salasana on Velo2024x", "a password", "Velo2024x"),
    # the copulas of Danish and Norwegian (er), Czech, Slovak, Slovenian, Croatian and Serbian (je, је), Romanian
    # (este), Catalan (és), Lithuanian (yra), Albanian (është) and Icelandic (er)
    ("adgangskoden er Velo2024x", "a password", "Velo2024x"),
    ("passordet er Velo2024x", "a password", "Velo2024x"),
    ("lykilorðið er Velo2024x", "a password", "Velo2024x"),
    ("heslo je Velo2024x", "a password", "Velo2024x"),
    ("geslo je Velo2024x", "a password", "Velo2024x"),
    ("lozinka je Velo2024x", "a password", "Velo2024x"),
    ("лозинка је Velo2024x", "a password", "Velo2024x"),
    ("parola este Velo2024x", "a password", "Velo2024x"),
    ("parolă este Velo2024x", "a password", "Velo2024x"),
    # Romanian typed without its diacritics, words saying whose between parola and este
    ("parola noua este Velo2024x", "a password", "Velo2024x"),
    ("parola mea este Velo2024x", "a password", "Velo2024x"),
    ("parola contului este Velo2024x", "a password", "Velo2024x"),
    ("parola de la wifi este Velo2024x", "a password", "Velo2024x"),
    ("la contrasenya és Velo2024x", "a password", "Velo2024x"),
    ("slaptažodis yra Velo2024x", "a password", "Velo2024x"),
    ("fjalëkalimi është Velo2024x", "a password", "Velo2024x"),
    ("parool on Velo2024x", "a password", "Velo2024x"),
    ("salasõna on Velo2024x", "a password", "Velo2024x"),
    ("Пароль от почты: Velo2024x", "a password", "Velo2024x"),
    ("ΚΩΔΙΚΟΣ ΠΡΟΣΒΑΣΗΣ: Velo2024x", "a password", "Velo2024x"),
    ("la parola d'ordine è Velo2024x", "a password", "Velo2024x"),
    ("DB_SENHA=Velo2024x", "a password", "Velo2024x"),
    # a CJK label after other letters, its copula or a fullwidth colon right after it
    ("我的密码：Azerty123", "a password", "Azerty123"),
    ("管理員密碼是Azerty123", "a password", "Azerty123"),
    ("パスワードは「Azerty123」です", "a password", "Azerty123"),
    ("비밀번호: Azerty123", "a password", "Azerty123"),
    ("관리자 비밀번호는 Azerty123", "a password", "Azerty123"),
    # the value ends where the text in those scripts resumes
    ("密码是Azerty123，请勿外传。", "a password", "Azerty123"),
    ("パスワードはAzerty123です。", "a password", "Azerty123"),
    ("비밀번호: Azerty123입니다", "a password", "Azerty123"),
    # a login and its password given as a pair
    ("login/pass: admin/Azerty123", "a password", "Azerty123"),
    ("identifiants : admin / Azerty123", "a password", "Azerty123"),
    ("user/mdp : velo / Azerty123", "a password", "Azerty123"),
    ("login : admin, mdp : Azerty123", "a password", "Azerty123"),
    ("identifiant/mot de passe = asso/Soleil2024", "a password", "Soleil2024"),
    ("Identifiants WordPress : `admin` / `Azerty123`", "a password", "Azerty123"),
    ("les identifiants FTP sont contact@velo-lyon.org / Velo2024x", "a password", "Velo2024x"),
    ("login et mot de passe du site : admin:Azerty123", "a password", "Azerty123"),
    ("credentials: admin:Azerty123", "a password", "Azerty123"),
    ("STRIPE_SECRET_KEY=Zt8kq2LmW9xR", "a token or key", "Zt8kq2LmW9xR"),
    ("Token: 4h8GkZqv2LmN", "a token or key", "4h8GkZqv2LmN"),
    ("Token Matomo : 0123456789abcdef0123456789abcdef", "a token or key", "0123456789abcdef0123456789abcdef"),
    ("jeton d'accès : Zt8kq2LmW9xR", "a token or key", "Zt8kq2LmW9xR"),
    ("Clé API Brevo : 4f8a9c1e2b3d4e5f6a7b8c9d", "a token or key", "4f8a9c1e2b3d4e5f6a7b8c9d"),
    ("API key is `aB3dE5fG7hJ9`", "a token or key", "aB3dE5fG7hJ9"),
    ("clé AWS du bucket : AKIA2OGYBAH6RTX5QW3M", "an access key", "AKIA2OGYBAH6RTX5QW3M"),
    (
        "jeton GitHub ghp_4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5Fh",
        "an access key",
        "ghp_4f8Gk2ZqvLmN9pQr7sTu1VwXyZa0Bc3De5Fh",
    ),
    ("bot Slack : xoxb-2401234567-4h8GkZqv2LmN", "an access key", "xoxb-2401234567-4h8GkZqv2LmN"),
    (
        "alertes : https://hooks.slack.com/services/T024BE7LD/B08ABCDEF12/4h8GkZqv2LmN9pQr7sTu1VwX",
        "a webhook URL",
        "4h8GkZqv2LmN9pQr7sTu1VwX",
    ),
    (
        "Discord https://discord.com/api/webhooks/123456789012345678/Zt8kq2LmW9xRcV4bN7mQ1pL0sD3fG6hJ8kL",
        "a webhook URL",
        "Zt8kq2LmW9xRcV4bN7mQ1pL0sD3fG6hJ8kL",
    ),
    (
        "sauvegarde surveillée : https://hc-ping.com/3f2a9c1e-8b4d-4e6f-9a1b-2c3d4e5f6a7b",
        "a monitoring ping URL",
        "3f2a9c1e",
    ),
    ("cron : https://velo-lyon.org/cron.php?token=Zt8kq2LmW9xR", "a secret in a URL's query", "Zt8kq2LmW9xR"),
    (
        "clé de l'ancien serveur :\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"
        "\n-----END OPENSSH PRIVATE KEY-----",
        "a private key",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
    ),
    # the words saying whose in brackets
    ("Mot de passe (WordPress) : Velo2024", "a password", "Velo2024"),
    ("Mot de passe (provisoire) : Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe FTP (compte OVH) : Soleil2024x", "a password", "Soleil2024x"),
    ("Password [admin]: Soleil2024x", "a password", "Soleil2024x"),
    ("Passwort (FTP): Geheim2024x", "a password", "Geheim2024x"),
    ("identifiants (compte OVH) : admin / Soleil2024x", "a password", "Soleil2024x"),
    ("Token (Matomo) : 0123456789abcdef0123", "a token or key", "0123456789abcdef0123"),
    # login:password@host without a scheme, before a host and its port, pic-db, or a host named for a service
    ("accès sftp : bob:Soleil2024x@sftp.example.org:22", "credentials before a host name", "Soleil2024x"),
    ("compte bob:Soleil2024x@ftp.example.org", "credentials before a host name", "Soleil2024x"),
    ("base : asso_velo:Velo2024x@pic-db", "credentials before a host name", "Velo2024x"),
    ("ancienne base velo:Zt8kq2LmW9@mysql.example.org", "credentials before a host name", "Zt8kq2LmW9"),
    ("serveur asso:Soleil2024x@web1.example.org:2222", "credentials before a host name", "Soleil2024x"),
    ("NAS du local : asso:Soleil2024x@192.168.1.10", "credentials before a host name", "Soleil2024x"),
    ("ancien serveur asso:Soleil2024x@[2001:db8::1]", "credentials before a host name", "Soleil2024x"),
    # a login and its password after the name of a service that takes them
    ("FTP : asso / Velo2024x", "a password", "Velo2024x"),
    # the service's name, then the pair without a separator
    ("wp admin marie / Lilas2024", "a password", "Lilas2024"),
    ("wp-admin marie / Lilas2024!", "a password", "Lilas2024!"),
    ("FTP amicale / Lilas2024 (ancien hébergeur)", "a password", "Lilas2024"),
    ("accès MySQL root / Lilas2024", "a password", "Lilas2024"),
    ("compte WP marie / Lilas2024", "a password", "Lilas2024"),
    ("compte admin (marie / Lilas2024)", "a password", "Lilas2024"),
    ("Nextcloud [marie / Lilas2024]", "a password", "Lilas2024"),
    ("compte admin [marie / Lilas2024!]", "a password", "Lilas2024!"),
    # the service's name, then the pair after a dash, a table's '|', a comma or in curly brackets
    ("FTP amicale - marie / Lilas2024", "a password", "Lilas2024"),
    ("FTP amicale | marie / Lilas2024", "a password", "Lilas2024"),
    ("FTP amicale, marie / Lilas2024", "a password", "Lilas2024"),
    ("compte admin, marie / Lilas2024!", "a password", "Lilas2024!"),
    ("Nextcloud {marie / Lilas2024}", "a password", "Lilas2024"),
    ("wp-admin {marie / Lilas2024!}", "a password", "Lilas2024!"),
    # the bracket written against the service's name or with blanks inside it, a blank before the comma
    ("Nextcloud{marie / Lilas2024}", "a password", "Lilas2024"),
    ("Nextcloud { marie / Lilas2024 }", "a password", "Lilas2024"),
    ("compte admin( marie / Lilas2024 )", "a password", "Lilas2024"),
    ("FTP amicale , marie / Lilas2024", "a password", "Lilas2024"),
    ("FTP amicale,marie / Lilas2024", "a password", "Lilas2024"),
    # words saying whose in curly brackets, as in round or square ones
    ("identifiants {compte OVH} : admin / Soleil2024x", "a password", "Soleil2024x"),
    ("Mot de passe {WordPress} : Velo2024x", "a password", "Velo2024x"),
    # Microsoft's and Apple's accounts, an address as the login
    ("Office365 : presidente@amicale-croix.fr / Lilas2024", "a password", "Lilas2024"),
    ("iCloud : marie@icloud.com / Lilas2024", "a password", "Lilas2024"),
    # Microsoft's suite named with a space before its number, as a service's name and as a word saying whose
    ("Office 365 : presidente@amicale-croix.fr / Lilas2024", "a password", "Lilas2024"),
    ("Office 365 marie / Lilas2024", "a password", "Lilas2024"),
    ("compte Microsoft 365 : marie / Lilas2024", "a password", "Lilas2024"),
    ("mdp Office 365 : Velo2024x", "a password", "Velo2024x"),
    ("mot de passe Office 365 Velo2024x", "a password", "Velo2024x"),
    ("Clé API Office 365 : Zt8kq2LmW9xR", "a token or key", "Zt8kq2LmW9xR"),
    # any product's name so written, saying whose
    ("mdp Windows 11 : Velo2024x", "a password", "Velo2024x"),
    ("Identifiants Livebox 5 : admin / Lilas2024", "a password", "Lilas2024"),
    ("mot de passe Debian 12 Velo2024x", "a password", "Velo2024x"),
    ("Mot de passe WordPress 6 : Velo2024x", "a password", "Velo2024x"),
    ("Clé API Drupal 10 : Zt8kq2LmW9xR", "a token or key", "Zt8kq2LmW9xR"),
    # a product's name with its digit saying whose, between the label and the separator
    ("Identifiants Livebox5 : admin / Lilas2024", "a password", "Lilas2024"),
    ("Clé API Office365 : Zt8kq2LmW9xR", "a token or key", "Zt8kq2LmW9xR"),
    ("WordPress (marie / Lilas2024!), changé en mars", "a password", "Lilas2024!"),
    ("SFTP du site : asso:Velo2024x", "a password", "Velo2024x"),
    ("WordPress : admin / Velo2024!", "a password", "Velo2024!"),
    ("phpMyAdmin : velo / Zt8kq2LmW9", "a password", "Zt8kq2LmW9"),
    ("webmail : contact@asso.org / Velo2024x", "a password", "Velo2024x"),
    # a login written with dots, a password starting as a key's type or a character set's name does
    ("identifiants : marie.dupont / Velo2024x", "a password", "Velo2024x"),
    ("FTP : velo-lyon.org / Velo2024x", "a password", "Velo2024x"),
    ("SSH : asso / rsa-Velo2024x", "a password", "rsa-Velo2024x"),
    ("FTP : asso / utf8Velo2024", "a password", "utf8Velo2024"),
    # French's code d'accès, code secret
    ("code d'accès : Soleil2024x", "a password", "Soleil2024x"),
    ("Code d’accès au back-office : Velo2024!", "a password", "Velo2024!"),
    ("codes secrets : Azerty123 et Soleil42x", "a password", "Azerty123"),
    # digits alone after a label and its separator
    ("mdp : 19061985", "a password", "19061985"),
    ("Mot de passe : 123456 (provisoire)", "a password", "123456"),
    ("Passwort: 987654", "a password", "987654"),
    # a birthday in ISO 8601's basic form, digits longer or shorter than a phone number's
    ("mdp : 19850619", "a password", "19850619"),
    ("mdp : 06123456789", "a password", "06123456789"),
    ("mdp : 061234567", "a password", "061234567"),
    # a dash between spaces as the separator
    ("mot de passe - Azerty123", "a password", "Azerty123"),
    ("Mot de passe du webmail – Soleil2024x", "a password", "Soleil2024x"),
    ("identifiants — admin / Soleil2024", "a password", "Soleil2024"),
    ("mot de passe - Office365Velo", "a password", "Office365Velo"),
    ("mot de passe - Office365 : Velo2024x", "a password", "Velo2024x"),
    # '--' for a dash, Unicode's other dashes and hyphens (minus sign, figure dash, horizontal bar, a word
    # processor's non-breaking hyphen in Wi-Fi) and arrows, read as '-', '—' and '->'
    ("mot de passe -- Soleil2024x", "a password", "Soleil2024x"),
    ("identifiants -- admin / Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u2212 Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u2012 Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u2010 Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u2015 Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe Wi\u2011Fi : Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe Wi\u2010Fi : Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u2212 Office365 : Velo2024x", "a password", "Velo2024x"),
    ("Token Matomo -- 0123456789abcdef0123", "a token or key", "0123456789abcdef0123"),
    ("mot de passe --> Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe ==> Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u21d2 Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u279c Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe \u27f6 Soleil2024x", "a password", "Soleil2024x"),
    # a Wi-Fi network's password as French names it
    ("Clé Wi-Fi : Soleil2024x", "a password", "Soleil2024x"),
    ("clef wifi du local : Soleil2024x", "a password", "Soleil2024x"),
    ("clé WPA2 : Soleil2024x", "a password", "Soleil2024x"),
    ("Clé WPA2-PSK : Soleil2024x", "a password", "Soleil2024x"),
    ("clé WEP : 1234567890", "a password", "1234567890"),
    ("Clé de sécurité réseau : Soleil2024x", "a password", "Soleil2024x"),
    ("clé de sécurité du réseau sans fil = Soleil2024x", "a password", "Soleil2024x"),
    ("code Wi-Fi : Soleil2024x", "a password", "Soleil2024x"),
    # up to six words saying whose
    ("mot de passe du compte administrateur du site WordPress : Azerty123", "a password", "Azerty123"),
    ("Le mot de passe de la salle des fêtes est Velo2024x", "a password", "Velo2024x"),
    # the label ending its line, the value alone on the next (a list's item, in quotes, a remark after it too)
    ("mdp :\nSoleil2024x", "a password", "Soleil2024x"),
    ("Mot de passe FTP :\n  Velo2024x", "a password", "Velo2024x"),
    ("Accès au local.\nMot de passe :\r\n  Velo2024x (depuis mars)", "a password", "Velo2024x"),
    ("mot de passe =\n- `Velo2024x`", "a password", "Velo2024x"),
    ("Mot de passe Wi-Fi ->\n  19061985", "a password", "19061985"),
    ("Identifiants Nextcloud :\n  asso / Velo2024x", "a password", "Velo2024x"),
    ("Token Matomo :\n  0123456789abcdef0123", "a token or key", "0123456789abcdef0123"),
    # French's phrase de passe, mdp with its full stops, a table's cell separator
    ("phrase de passe : Soleil2024x", "a password", "Soleil2024x"),
    ("Phrases de passe de la clé = Soleil2024x", "a password", "Soleil2024x"),
    ("m.d.p. : Soleil2024x", "a password", "Soleil2024x"),
    ("M.D.P : Soleil2024x", "a password", "Soleil2024x"),
    ("m. d. p. FTP : Soleil2024x", "a password", "Soleil2024x"),
    ("mot-de-passe : Soleil2024x", "a password", "Soleil2024x"),
    ("mot de passe | Soleil2024x", "a password", "Soleil2024x"),
    ("| FTP | mot de passe | Soleil2024x |", "a password", "Soleil2024x"),
    ("| Token | 4h8GkZqv2LmN |", "a token or key", "4h8GkZqv2LmN"),
    # after a secret's, a token's or a key's label, a value of letters and digits as after a password's
    ("secret: Soleil2024", "a token or key", "Soleil2024"),
    ("secret = Azerty123", "a token or key", "Azerty123"),
    ("Secret : Azerty123", "a token or key", "Azerty123"),
    ("token: Azerty123", "a token or key", "Azerty123"),
    ("api key: Azerty123", "a token or key", "Azerty123"),
    ("Clé secrète : Velo2024", "a token or key", "Velo2024"),
    ("jeton d'accès : Soleil2024 (expire en juin)", "a token or key", "Soleil2024"),
    # a passcode's label
    ("passcode: Lilas2024x!", "a password", "Lilas2024x!"),
    ("passcode = Lilas2024x!", "a password", "Lilas2024x!"),
    ("Passcodes : Lilas2024x!", "a password", "Lilas2024x!"),
    ("le passcode est Lilas2024x", "a password", "Lilas2024x"),
    # code alone right before its separator, then a value shaped as a password: letters, digits and a sign no
    # reference holds
    ("code: Lilas2024x!", "a password", "Lilas2024x!"),
    ("Code = Velo$2024", "a password", "Velo$2024"),
    # a login's label, the login, pass and the password, without separators
    ("user marie pass Lilas2024x!", "a password", "Lilas2024x!"),
    ("login marie pass Azerty123", "a password", "Azerty123"),
    ("identifiant marie.dupont pass Velo2024x", "a password", "Velo2024x"),
    # a login's label, the login and its password joined by ':' or after a comma, without separators after the label
    ("credentials marie:Azerty123", "a password", "Azerty123"),
    ("identifiants marie.dupont@asso.org:Velo2024x", "a password", "Velo2024x"),
    ("login marie, Azerty123!", "a password", "Azerty123!"),
    ("utilisateur marie ; Velo$2024", "a password", "Velo$2024"),
    # a service's name, its separator, the login and the password after a blank, holding a sign
    ("wp-admin: marie Azerty123!", "a password", "Azerty123!"),
    ("Nextcloud = asso Velo$2024 (admin)", "a password", "Velo$2024"),
    # a login and its password after the name of a service a site's association uses
    ("Nextcloud : asso / Velo2024x", "a password", "Velo2024x"),
    ("Nextcloud : asso / Soleil2024", "a password", "Soleil2024"),
    ("BDD : asso_main / Xk29pLm3", "a password", "Xk29pLm3"),
    ("base de données : asso_main / Xk29pLm3", "a password", "Xk29pLm3"),
    ("MySQL : asso:Xk29pLm3", "a password", "Xk29pLm3"),
    ("Dolibarr de l'asso : admin / Velo2024x", "a password", "Velo2024x"),
    ("OVH : asso-ovh / Velo2024x", "a password", "Velo2024x"),
    ("Gandi : asso / Velo2024x", "a password", "Velo2024x"),
    ("Wi-Fi : Livebox-A3F2 / Velo2024x", "a password", "Velo2024x"),
    ("Gmail : asso.velo@gmail.com / Velo2024!", "a password", "Velo2024!"),
    ("Zoom : asso@velo.org / Velo2024x", "a password", "Velo2024x"),
    ("HelloAsso : tresorier / Velo2024x", "a password", "Velo2024x"),
    ("Canva : asso / Velo2024x", "a password", "Velo2024x"),
    ("Facebook : velo.lyon / Soleil2024", "a password", "Soleil2024"),
    ("Joomla (ancien site) : admin / Velo2024x", "a password", "Velo2024x"),
    ("Compte admin : asso / Velo2024x", "a password", "Velo2024x"),
    ("Accès : asso / Velo2024x", "a password", "Velo2024x"),
    # after a service not named, a password shaped like a key
    ("Pipedrive : asso / Xk29pLm3", "a password", "Xk29pLm3"),
    ("Weezevent du club : tresorier / Velo2024x", "a password", "Velo2024x"),
    ("Pipedrive :\n  asso / Xk29pLm3", "a password", "Xk29pLm3"),
    # a PIN's label names nothing but a secret: 4 digits after it are one
    ("code PIN : 4821", "a password", "4821"),
    ("code confidentiel de la carte : 4821", "a password", "4821"),
    ("Le code PIN est 4821", "a password", "4821"),
    ("code PIN 4821", "a password", "4821"),
    ("PIN : 48213", "a password", "48213"),
    ("code secret : 4821", "a password", "4821"),
    # a SIM's PUK too; a PIN that is no factory default
    ("code PUK : 12345678", "a password", "12345678"),
    ("PUK : 87654321", "a password", "87654321"),
    ("code PUK 12345678", "a password", "12345678"),
    # a markdown table's cell, read after its column's header
    ("| Service | Login | Mot de passe |\n|---|---|---|\n| FTP | asso | Velo2024x |", "a password", "Velo2024x"),
    ("Service | Login | Mot de passe\n--- | --- | ---\nFTP | asso | Velo2024x", "a password", "Velo2024x"),
    ("| Carte | PIN |\n|:--|--:|\n| CB de l'asso | 4821 |", "a password", "4821"),
    ("| Service | Identifiants |\n|---|---|\n| Nextcloud | asso / Velo2024x |", "a password", "Velo2024x"),
    # a protocol's or a length's look-alike
    ("mdp : OAuth2024", "a password", "OAuth2024"),
    ("mdp : 12charsX", "a password", "12charsX"),
    ("code PIN : 00001", "a password", "00001"),
    ("PIN :\n4821", "a password", "4821"),
    # a pair whose password is of no kind of its login: no image's tag, handle or model
    ("Instagram : @velolyon / Velo2024x", "a password", "Velo2024x"),
    ("Instagram : velolyon / @Velo2024x", "a password", "@Velo2024x"),
    ("NAS : admin / DS2024x", "a password", "DS2024x"),
    ("SSH : asso@web01 / Velo2024x", "a password", "Velo2024x"),
    ("SSH : asso / asso@Velo2024", "a password", "asso@Velo2024"),
    ("Nextcloud:asso/Velo2024x", "a password", "Velo2024x"),
    ("FTP : asso:Velo2024x", "a password", "Velo2024x"),
    ("Pipedrive : DS22 / Xk29pLm3", "a password", "Xk29pLm3"),
    ("Nextcloud : asso / 6.5Velo", "a password", "6.5Velo"),
    ("FTP : asso / sdb2024x", "a password", "sdb2024x"),
    # a payment card's number after a card's label: 13 to 19 digits passing the Luhn check, in groups or not
    ("Carte : 4970 1234 5678 9013", "a payment card's number", "5678 9013"),
    ("carte bancaire de l'asso : 4970-1234-5678-9013", "a payment card's number", "5678-9013"),
    ("CB 4970123456789013 (exp. 12/27)", "a payment card's number", "4970123456789013"),
    ("Visa : 5130 1234 5678 9017", "a payment card's number", "5678 9017"),
    ("Amex : 3782 822463 10005", "a payment card's number", "822463"),
    ("numéro de carte :\n  4970123456789013", "a payment card's number", "4970123456789013"),
    ("credit card: 4970 1234 5678 9013", "a payment card's number", "5678 9013"),
    ("Paiement Visa n° 4970123456789013 refusé", "a payment card's number", "4970123456789013"),
    # its security code after its label
    ("CVV : 738", "a payment card's security code", "738"),
    ("cryptogramme visuel : 738", "a payment card's security code", "738"),
    ("code de sécurité de la carte : 7382", "a payment card's security code", "7382"),
    ("CVV2 738", "a payment card's security code", "738"),
    # a two-factor seed in base32, in one block or in groups of 4
    ("TOTP : JBSWY3DPEHPK3PXP", "a two-factor secret", "JBSWY3DPEHPK3PXP"),
    ("clé 2FA : JBSW Y3DP EHPK 3PXP", "a two-factor secret", "JBSW Y3DP"),
    ("secret TOTP Gandi : jbsw y3dp ehpk 3pxp", "a two-factor secret", "jbsw y3dp"),
    ("seed: JBSWY3DPEHPK3PXP", "a two-factor secret", "JBSWY3DPEHPK3PXP"),
    ("A2F du compte OVH = JBSWY3DPEHPK3PXP", "a two-factor secret", "JBSWY3DPEHPK3PXP"),
    # recovery codes
    ("codes de secours : 48213 92817", "two-factor recovery codes", "92817"),
    ("recovery codes: a1b2-c3d4", "two-factor recovery codes", "a1b2-c3d4"),
    ("codes de récupération GitHub : a1b2c-3d4e5, f6a7b-8c9d0", "two-factor recovery codes", "a1b2c"),
    ("backup codes: 48213928", "two-factor recovery codes", "48213928"),
    ("codes de secours : 2026 48213", "two-factor recovery codes", "48213"),
    # a security question's answer
    ("Réponse secrète : Médor", "a security question's answer", "Médor"),
    ("question secrète : nom du chien ; réponse : Médor", "a security question's answer", "Médor"),
    ("secret answer: Rexou", "a security question's answer", "Rexou"),
    ("réponse à la question secrète – Médor", "a security question's answer", "Médor"),
    # a door's or an alarm's code
    ("Digicode : 4821B", "a door or alarm code", "4821B"),
    ("code porte : 4821", "a door or alarm code", "4821"),
    ("code d'entrée : 1234A", "a door or alarm code", "1234A"),
    ("code alarme : 4821", "a door or alarm code", "4821"),
    ("code du portail : 1379", "a door or alarm code", "1379"),
    ("code de la boîte à clés du local : 0482", "a door or alarm code", "0482"),
    ("digicode 4821B.", "a door or alarm code", "4821B"),
    # a passphrase of capitalised words after a password's label and a copula, as after ':'
    ("Le mot de passe est Velosolex Jean", "a password", "Velosolex"),
    ("Le mot de passe du wifi est Cheval Bleu Marteau.", "a password", "Cheval"),
    ("le mdp c'est Velosolex Jean", "a password", "Velosolex"),
    ("The password is Velosolex Jean", "a password", "Velosolex"),
    ("Das Passwort ist Velosolex Jean", "a password", "Velosolex"),
    ("la contraseña es Velosolex Jean", "a password", "Velosolex"),
    ("a senha é Velosolex Jean", "a password", "Velosolex"),
    ("la parola d'ordine è Velosolex Jean", "a password", "Velosolex"),
    ("heslo je Velosolex Jean", "a password", "Velosolex"),
    ("kodeordet er Velosolex Jean", "a password", "Velosolex"),
    ("parola este Velosolex Jean", "a password", "Velosolex"),
    ("Passordet er Blå Hus Fjell", "a password", "Blå"),
    ("Heslo je Modrý Dům Praha", "a password", "Modrý"),
    # a passphrase starting with an article or a word that, after another language's copula, says "the same" or
    # "new": those words are read as such only after their own copulas, an article only before such a word
    ("Das Passwort ist Der Hund Bello", "a password", "Der"),
    ("Das Passwort ist Die Katze Mimi", "a password", "Die"),
    ("The password is Die Hard Forever", "a password", "Die"),
    ("Le mot de passe est Den Haag Centraal", "a password", "Den"),
    ("password is Re Mi Fa Sol", "a password", "Re"),
    ("Le mot de passe est Nou Nou Doudou", "a password", "Nou"),
    ("Passordet er Det Blå Huset", "a password", "Det"),
    ("la contrasenya és Velosolex Jean", "a password", "Velosolex"),
    # Finnish's and Estonian's copula on, read with their labels; Hungarian's, left unsaid (A jelszó Velo2024x)
    ("Salasana on Velosolex Jean", "a password", "Velosolex"),
    ("Wifin salasana on Cheval Bleu Marteau.", "a password", "Cheval"),
    ('Salasana on "Velo 2024"', "a password", "Velo"),
    ("Salasana on « Velosolex Jean »", "a password", "Velosolex"),
    ("Parool on Velosolex Jean", "a password", "Velosolex"),
    ('parool on "Velosolex Jean"', "a password", "Velosolex"),
    ("Salasõna on Velosolex Jean", "a password", "Velosolex"),
    ("A jelszó Velosolex Jean", "a password", "Velosolex"),
    ("Jelszavam Kék Ház Budapest", "a password", "Kék"),
    ('A jelszó "Velosolex Jean"', "a password", "Velosolex"),
    ("Salasana on Villa Kulla", "a password", "Villa"),  # -lla ending a short word, no adessive
    # their past (oli), now after the copula (nyt, nüüd), Finnish's possessive (salasanani: my password)
    ("Salasana oli Velo2024x", "a password", "Velo2024x"),
    ("Salasana on nyt Velo2024x", "a password", "Velo2024x"),
    ("Salasana on nyt Velosolex Jean", "a password", "Velosolex"),
    ("Salasanani on Velo2024x", "a password", "Velo2024x"),
    ("Salasanasi on Velosolex Jean", "a password", "Velosolex"),
    ("Parool oli Velo2024x", "a password", "Velo2024x"),
    ("Parool on nüüd Velosolex Jean", "a password", "Velosolex"),
    ("A jelszó most Velo2024x", "a password", "Velo2024x"),
    # the other languages' past (war, era, var, było, bylo) and now after their copula (jetzt, ahora, nu, teraz)
    ("Das Passwort war Geheim2024", "a password", "Geheim2024"),
    ("Das Passwort ist jetzt Geheim2024", "a password", "Geheim2024"),
    ("la contraseña era Velo2024x", "a password", "Velo2024x"),
    ("la contraseña es ahora Velosolex Jean", "a password", "Velosolex"),
    ("a senha era Velo2024x", "a password", "Velo2024x"),
    ("la parola d'ordine era Velosolex Jean", "a password", "Velosolex"),
    ("Lösenordet var Velo2024x", "a password", "Velo2024x"),
    ("Lösenordet är nu Velo2024x", "a password", "Velo2024x"),
    ("Passordet var Velosolex Jean", "a password", "Velosolex"),
    ("Hasło było Velo2024x", "a password", "Velo2024x"),
    ("Hasło jest teraz Velo2024x", "a password", "Velo2024x"),
    ("Heslo bylo Velo2024x", "a password", "Velo2024x"),
    ("Parool on Daniel Craig", "a password", "Daniel"),
    # the passphrase after every password's label, in every language
    ("şifre: Velosolex Jean", "a password", "Velosolex"),
    ("Şifre : Velosolex Jean", "a password", "Velosolex"),
    ("adgangskode: Velosolex Jean", "a password", "Velosolex"),
    ("contrasenya = Velosolex Jean", "a password", "Velosolex"),
    ("lozinka: Velosolex Jean", "a password", "Velosolex"),
    ("密码：Velosolex Jean", "a password", "Velosolex"),
    # the passphrase on the line under the label's, the value two lines under a label ending with ':'
    ("Mot de passe :\nVelosolex Jean", "a password", "Velosolex"),
    ("Mot de passe\nVelosolex Jean", "a password", "Velosolex"),
    ("şifre:\n  Velosolex Jean", "a password", "Velosolex"),
    ("mdp :\n\nAzerty123", "a password", "Azerty123"),
    ("Mot de passe FTP :\n\n  Velo2024x", "a password", "Velo2024x"),
    ("Mot de passe :\n\nVelosolex Jean", "a password", "Velosolex"),
    # a password given to pulumi config set otherwise than as its second argument: on its standard input, after
    # '--', by set-all (the key named for a secret, given in plaintext)
    (
        "Changé le 3/03 : echo S3cretPw9 | pulumi config set --secret pic:dbAdminPassword",
        "a password piped to a program",
        "S3cretPw9",
    ),
    ("pulumi config set --secret pic:smtpPassword <<< S3cretPw9", "a password piped to a program", "S3cretPw9"),
    ("Fait : pulumi config set pic:dbAdminPassword -- -S3cretPw9", "a password argument", "-S3cretPw9"),
    ("pulumi config set-all --plaintext pic:dbAdminPassword=S3cretPw9", "a password argument", "S3cretPw9"),
    # a command pasted into a note that gives a program its password as an argument, in SQL, in a header, on its
    # standard input, as pic check reads a cron job's command
    ("mise en place : htpasswd -b .htpasswd marie Lilas2024", "a password argument", "Lilas2024"),
    ("drush upwd admin Lilas2024 (fait le 3 mars)", "a password argument", "Lilas2024"),
    ("mysqladmin -u root password Lilas2024x", "a password argument", "Lilas2024x"),
    ("CREATE USER amicale IDENTIFIED BY 'Lilas2024';", "an SQL password", "Lilas2024"),
    ("fait : ALTER USER 'amicale'@'%' IDENTIFIED BY 'Lilas2024';", "an SQL password", "Lilas2024"),
    ("SET PASSWORD FOR 'amicale'@'%' = PASSWORD('Lilas2024');", "an SQL password", "Lilas2024"),
    ("echo 'marie:Lilas2024' | chpasswd", "a password for chpasswd", "Lilas2024"),
    ("echo Lilas2024 | passwd --stdin marie", "a password piped to a program", "Lilas2024"),
    ("cat <<< Lilas2024 | passwd --stdin marie", "a password piped to a program", "Lilas2024"),
    ('curl -H "X-Api-Key: Zt8kq2LmW9xR" https://amicale-croix.fr/api', "an authorization header", "Zt8kq2LmW9xR"),
    ("curl -sH 'X-Api-Key: Zt8kq2LmW9xR' https://amicale-croix.fr/api", "an authorization header", "Zt8kq2LmW9xR"),
    ("test de l'API : Authorization: Basic YWRtaW46TGlsYXMyMDI0", "an authorization header", "YWRtaW46TGlsYXMyMDI0"),
    ("curl -b 'wordpress_logged_in_ab12=marie%7C1735689600%7Cx' https://x.org", "a session cookie", "1735689600"),
    # a passphrase in quotes, a blank and a digit in it, right after a password's label (words saying whose between)
    ('mot de passe "Lilas 2024!"', "a password", "Lilas 2024!"),
    ("mdp « Lilas 2024! »", "a password", "Lilas 2024!"),
    ("password 'Lilas 2024!'", "a password", "Lilas 2024!"),
    ('mot de passe du wifi "Lilas 2024!" (au local)', "a password", "Lilas 2024!"),
    ("Passwort “Lilas 2024!”", "a password", "Lilas 2024!"),
    # a shell assignment of a variable named for a secret, its value in quotes holding a blank or not
    ('export DB_PASSWORD="Lilas 2024!"', "a password assignment", "Lilas 2024!"),
    ("DB_PASSWORD='Lilas2024x!'", "a password", "Lilas2024x!"),
    ("avant le dump : MYSQL_PWD='Lilas 2024!' mysqldump asso", "a password assignment", "Lilas 2024!"),
    # curl's USER:PASSWORD, the argument in quotes holding a blank
    ('curl -u "asso:Lilas 2024!" https://amicale-croix.fr/', "a password option", "Lilas 2024!"),
    ("curl --user asso:'Lilas 2024!' https://amicale-croix.fr/", "a password option", "Lilas 2024!"),
    ("curl --user asso:Lilas2024x https://amicale-croix.fr/", "a password option", "Lilas2024x"),
    # written to a reader's standard input, in quotes holding a blank
    ("echo 'Lilas 2024!' | passwd --stdin marie", "a password piped to a program", "Lilas 2024!"),
    ('echo "marie:Lilas 2024!" | chpasswd', "a password for chpasswd", "Lilas 2024!"),
    ("chpasswd <<< 'marie:Lilas 2024!'", "a password for chpasswd", "Lilas 2024!"),
    # a login and its password after a service's name and ';', or a dash and the login, ':' between them
    ("FTP amicale; marie / Lilas2024", "a password", "Lilas2024"),
    ("FTP amicale - marie : Lilas2024", "a password", "Lilas2024"),
    ("Identifiants Windows 11, admin / Lilas2024", "a password", "Lilas2024"),
]


@pytest.mark.parametrize(("text", "kind", "secret"), REFUSED, ids=[r[0][:40] for r in REFUSED])
def test_a_secret_in_prose_is_found(text: str, kind: str, secret: str) -> None:
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == kind, (text, found)


@pytest.mark.parametrize("note", ACCEPTED)
def test_an_admin_s_note_holding_no_secret_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


def test_the_corpus_of_notes_is_large_enough() -> None:
    assert len(ACCEPTED) >= 40


@pytest.mark.parametrize("text", ["Token: renouvelé en mars", "Secret: garder la date de l'AG"])
def test_prose_is_read_more_strictly_than_a_command(text: str) -> None:
    """A command's KEY: VALUE reads any word after a colon as a secret; prose does not."""
    assert secrettext.secret_kind(text) == "a password assignment"
    assert secrettext.prose_secret(text) is None


def test_the_secret_found_first_in_the_text_is_named_with_where_it_starts() -> None:
    text = "note du 12/03\nmdp : Azerty123\nftp://asso:S3cret99@ftp.example.org"
    assert secrettext.prose_secret(text) == ("a password", text.index("mdp"))


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("我的密码：Azerty123", "密码"),
        ("accès au site, 管理员密码是Azerty123", "密码"),
        ("Note : login/pass: admin/Azerty123", "login/pass"),
        ("ancien hébergeur, identifiants : admin / Azerty123", "identifiants"),
    ],
)
def test_a_password_is_placed_at_its_label_in_a_cjk_script_or_a_pair(text: str, label: str) -> None:
    """A CJK label after other letters, or a login's and a password's paired, is where the secret starts."""
    assert secrettext.prose_secret(text) == ("a password", text.index(label))


def _spec(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Case Member",
        "contact": {"name": "Case Contact", "email": "case@case-asso.fr"},
        "uid": 10600,
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("note", ACCEPTED)
def test_each_prose_field_accepts_a_note_holding_no_secret(note: str) -> None:
    """No note is refused as holding a secret in a field of prose. A contact's name is a person's, not a note: a
    note's identifier, hash or version shaped as a password (RT#1187, 3f2a9c1e, iPhone13x) is refused there as a
    word no name holds (registry.no_password_in_a_name), and by that rule alone."""
    MemberSpec.model_validate(_spec(notes=note))
    MemberSpec.model_validate(_spec(exceptions={"php_eol": {"until": "2027-03-31", "reason": note}}), strict=False)
    if len(note) <= 120 and "=?" not in note:
        try:
            MemberSpec.model_validate(_spec(contact={"name": note, "email": "case@case-asso.fr"}))
        except ValidationError as e:
            [error] = e.errors()
            assert "shaped as a password, not as a person's name" in str(error["ctx"]["error"]), error
            with pytest.raises(SubfieldError):
                registry.no_password_in_a_name(note)


def _check(tmp_path: Path, body: str) -> tuple[int, str, Path]:
    members = tmp_path / "members"
    members.mkdir()
    (members / "base-member.yaml").write_text((ROOT / "tests" / "corpus" / "_base.yaml").read_text())
    case = members / "case-member.yaml"
    case.write_text(body, encoding="utf-8")
    return main(["check", "--project", str(ROOT), "--members", str(members), "--on", ON]), str(case), members


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


HEAD = "name: Case Member\ncontact: {name: Case Contact, email: case@case-asso.fr}\nuid: 10600\n"


@pytest.mark.parametrize(("text", "kind", "secret"), REFUSED, ids=[r[0][:40] for r in REFUSED])
def test_pic_check_refuses_a_secret_in_the_notes_at_its_line_without_showing_it(
    text: str, kind: str, secret: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, case, _ = _check(tmp_path, f"{HEAD}notes: {_quoted(text)}\n")
    out = capsys.readouterr()
    shown = out.out + out.err
    assert rc == 1, shown
    assert f"{case}:4 notes: " in shown and f"holds {kind}" in shown, shown
    assert "password manager" in shown and "priv/" in shown, shown
    assert secret not in shown, shown


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        (
            f'{HEAD}exceptions:\n  php_eol:\n    until: 2027-03-31\n    reason: "mdp phpMyAdmin : Azerty123"\n',
            7,
            "exceptions.php_eol.reason",
        ),
        (
            "name: Case Member\ncontact:\n  name: Marie Dupont (mot de passe est Azerty123)\n"
            "  email: case@case-asso.fr\nuid: 10600\n",
            3,
            "contact.name",
        ),
        (
            "name: Club Vélo (mot de passe est Azerty123)\n"
            "contact: {name: Case Contact, email: case@case-asso.fr}\n"
            "uid: 10600\n",
            1,
            "name",
        ),
    ],
)
def test_pic_check_refuses_a_secret_in_the_name_the_contact_s_name_or_the_exception_s_reason(
    body: str, line: int, field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, case, _ = _check(tmp_path, body)
    out = capsys.readouterr()
    shown = out.out + out.err
    assert rc == 1, shown
    assert f"{case}:{line} {field}: the text (not shown) holds a password" in shown, shown
    assert "Azerty123" not in shown, shown


def test_pic_check_accepts_the_corpus_of_notes_as_a_member_s_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole corpus, as block notes of members (4,000 characters at most each), end to end."""
    members = tmp_path / "members"
    members.mkdir()
    (members / "base-member.yaml").write_text((ROOT / "tests" / "corpus" / "_base.yaml").read_text())
    chunks: list[list[str]] = [[]]
    for note in ACCEPTED:
        if sum(len(n) + 1 for n in chunks[-1]) + len(note) > 3500:
            chunks.append([])
        chunks[-1].append(note)
    for i, chunk in enumerate(chunks):
        lines = "".join(f"  {n}\n" for n in chunk)
        (members / f"notes-{i}.yaml").write_text(
            f"name: Notes {i}\ncontact: {{name: Notes Contact, email: notes{i}@example.org}}\n"
            f"uid: {10700 + i}\nnotes: |\n{lines}",
            encoding="utf-8",
        )
    rc = main(["check", "--project", str(ROOT), "--members", str(members), "--on", ON])
    assert rc == 0, capsys.readouterr()


@pytest.mark.parametrize(
    "note",
    [
        # a label ending its line, then no value alone on the next: words, a sentence starting with a value, a path
        # where it is kept, a date, a heading's items that are no value
        "mdp :\nvoir le coffre",
        "Mot de passe FTP :\n  dans le gestionnaire de mots de passe",
        "Mot de passe :\nWordPress6 mis à jour, rien à changer",
        "Mot de passe :\n  Bitwarden/Membres/Velo2024",
        "Mots de passe changés le :\n12/03/2026",
        "Politique de mot de passe :\n- 12 caractères au moins\n- 2FA pour les admins",
        "Mot de passe :\n\nRéunion du 12/03 : site2024 validé",
        "code PIN :\n  voir le coffre",
        "Nextcloud :\n  25 Go / 50 Go",
        "Horaires :\n  lundi / mardi",
        "Identifiants FTP :\n  voir priv/ftp.txt",
        "Token Matomo :\n  renouvelé le 2026-02-01",
    ],
)
def test_a_label_ending_its_line_without_a_value_on_the_next_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note",
    [
        "| Service | Login | Mot de passe |\n|---|---|---|\n| FTP | asso | voir coffre |\n| SQL | asso | Bitwarden |",
        "| Carte | PIN |\n|---|---|\n| CB | voir trésorière |\n| SIM | 0000 (usine) |",
        "| Compte | Mot de passe | Rotation |\n|---|---|---|\n| admin | coffre | 2024-03-12 |",
        "| Mot de passe | Date |\n|---|---|\n| changé | 12/03/2026 |",
        "| Service | Version |\n|---|---|\n| WordPress | 6.5.3 |\n| PHP | 8.2 |",
        "| Jour | Horaires |\n|---|---|\n| lundi | 9h / 12h |\n| jeudi | 14h / 18h |",
        "| Quota | Avant | Après |\n|---|---|---|\n| Nextcloud | 50 Go | 100 Go |",
        "| Service | Login | Mot de passe |\n|---|---|---|\n| FTP | asso | ******** |",
    ],
)
def test_a_table_holding_no_secret_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    ("notes", "kind", "secret"),
    [
        ("  Ancien hébergeur : ftp://asso:S3cret99@ftp.example.org\n", "credentials in a URL", "S3cret99"),
        # one field a line: the label's line is told
        ("  Mot de passe FTP :\n    Velo2024x\n", "a password", "Velo2024x"),
        ("  Mot de passe du wifi\n    Velo2024x\n", "a password", "Velo2024x"),
        ("  şifre\n    Azerty123\n", "a password", "Azerty123"),
    ],
)
def test_a_secret_in_notes_of_several_lines_is_told_with_its_line_in_the_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], notes: str, kind: str, secret: str
) -> None:
    body = f"{HEAD}notes: |\n  Arrivée le 12/03/2026.\n{notes}"
    rc, case, _ = _check(tmp_path, body)
    shown = capsys.readouterr().err
    assert rc == 1
    assert f"{case}:4 notes: the text (not shown) holds {kind} on line 2 of the text" in shown, shown
    assert secret not in shown


@pytest.mark.parametrize(
    "text",
    [
        'mdp : "Velo 2024"',
        "Mot de passe : « Velosolex Jean »",
        "Mot de passe : Velosolex Jean",
        "Mot de passe du wifi = Cheval Bleu Marteau",
        "Password: Correct Horse Battery Staple",
        "Mot de passe : Velosolex Jean (depuis mars)",
        "mdp Azerty123@gmail.com",
        "mot de passe : Soleil2024@free.fr",
    ],
)
def test_password_quoted_is_refused(text: str) -> None:
    """A passphrase (words each starting with a capital, or in quotes), and a password shaped like an address."""
    assert secrettext.prose_secret(text) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    [
        # words after the label that say where it is, whom to ask, that it changed, in small letters (a sentence)
        "Mot de passe : Voir Coffre",
        "Password: See Bitwarden",
        "Mot de passe : Appeler Marie",
        "Mot de passe : Dashlane Pro",
        "Mot de passe : Trop court",
        "Mot de passe : trop court pour OVH",
        "mot de passe : « trop court »",
        'mot de passe : "voir le coffre"',
        "Password: Same As Before",
        "Mot de passe Wi-Fi : Livebox Orange",
        "Mot de passe : Compte Google",
        "Mot de passe : Étiquette Box",
        "Mot de passe : Connexion SSO",
        "mot de passe - Office Pro : voir coffre",
        # an address after the label, in small letters or naming whose
        "mdp envoyé à contact@asso.org",
        "mdp jdupont75@gmail.com",
        "mdp JDupont75@asso.org : voir coffre",
        "mdp : contact@asso.org",
    ],
)
def test_words_or_an_address_after_a_password_s_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note",
    [
        # after a copula, words in small letters, or capitalised ones saying where the password is, whom to ask or
        # what it is like, as after ':'
        "Le mot de passe est dans le coffre",
        "Le mot de passe est Voir Coffre",
        "Le mot de passe est Appeler Marie",
        "Le mot de passe wifi est Livebox Orange",
        "The password is In Bitwarden",
        "The password is Still Valid",
        "The password is Case Sensitive.",
        "Das Passwort ist Im Tresor",
        "The password policy is Very Strict.",
        "Le mot de passe Wi-Fi est Affiché Au Local",
        "Le mot de passe est Noté Par Marie",
        # a name after a copula that follows no password's label, or a label that is another's complement
        "Le président est Jean Dupont",
        "Le gardien du mot de passe est Jean Dupont",
        "The keeper of the password is John Smith",
        "Le mot de passe a été changé et le responsable est Jean Dupont",
        "Le mot de passe est Jean Dupont qui le garde",
        # on the line under the label's or two lines under, words saying where it is, a sentence, a heading
        "Mot de passe :\n\nvoir coffre",
        "Mot de passe\n\nVoir Coffre",
        "Mot de passe :\nVoir Coffre",
        "Mot de passe :\n\nLe trésorier le garde.",
        "Mot de passe :\nAppeler Marie",
        "Mot de passe\nLe Trésorier",
        "Mot de passe :\n\n\n\nAzerty123",
    ],
)
def test_words_or_a_name_after_a_label_and_a_copula_or_on_the_lines_under_it_are_none(note: str) -> None:
    """The passphrase's form (capitalised words ending the clause) read after any password's label, a copula or
    on the lines under: not a sentence, nor where the password is or whom to ask, nor a name the label is no subject
    of."""
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "mot de passe\nAzerty123",
        "Password\nS3cr3tPw",
        "Identifiant : asso\nMot de passe\nAzerty123",
        "Mot de passe du wifi\nVelo2024x",
        "- **Mot de passe** -\n  Azerty123",
        "## Mot de passe FTP\n`Velo2024x`",
        "MDP\n- Azerty123",
        "Passwort\nGeheim2024",
        "şifre\nAzerty123",
        "hasło\nAzerty123",
        "Token Matomo\n0123456789abcdef0123",
        "code PIN\n4821",
    ],
)
def test_password_after_a_label_without_a_colon_is_refused(text: str) -> None:
    """A line that is only a label, no ':' ending it, and the value alone on the next line."""
    found = secrettext.prose_secret(text)
    assert found is not None
    assert found[1] == (text.index("\n") + 1 if text.startswith("Identifiant") else 0)


@pytest.mark.parametrize(
    "note",
    [
        # the line before is no label alone, or the line after is no value alone
        "Le mot de passe\nAzerty123",
        "Il faut changer le mot de passe\nVelo2024x",
        "Mot de passe\nvoir coffre",
        "Mot de passe\n1Password",
        "Mot de passe\nBitwarden/Membres/Velo2024",
        "Mot de passe\nWordPress6 mis à jour",
        "Mot de passe changé\nle 12/03/2026",
        "Mot de passe\n\nRéunion2024",
        "Mots de passe\n2026-03-12",
        "Politique de mot de passe\n12caractères",
        "Pass Culture\nValidé2024",
        "Token\nrenouvelé",
    ],
)
def test_a_label_without_a_colon_and_no_value_alone_after_it_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note",
    [
        "mot de passe dans le coffre\nDB_HOST=db1.lan",
        "Password is in the vault\nserver01",
        "Mot de passe FTP changé hier\nWordPress6",
        "mdp envoyé par SMS\nRéunion2024",
        "Passwort ist im Tresor\nserver01",
        "mot de passe à demander à Marie\nBureau2024",
        "Token Matomo renouvelé en mars\nabc123def456",
        "code PIN chez la trésorière\n4821",
        "Password stored in Bitwarden\nweb01.lan",
        "- mdp de la box : voir ci-dessous\nLivebox5",
    ],
)
def test_a_label_whose_line_goes_on_with_a_sentence_awaits_no_value_on_the_next_line(note: str) -> None:
    """A label's line going on with words that make it a sentence (where the password is, what became of it: dans le
    coffre, is in the vault, changé hier, à demander) is no label alone: the next line's one word is not its value."""
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "mot de passe de la box\nVelo2024x",
        "Password for the admin\nS3cr3tPw9",
        "Mot de passe du compte FTP\nVelo2024x",
        "mdp pour l'admin WordPress\nVelo2024x",
        "Token of the API\n0123456789abcdef0123",
    ],
)
def test_a_label_and_words_saying_whose_alone_on_their_line_still_await_a_value(text: str) -> None:
    assert secrettext.prose_secret(text) == ("a password" if "Token" not in text else "a token or key", 0)


@pytest.mark.parametrize(
    "text",
    [
        "Password is\nLilas2024x!",
        "The password is\nLilas2024x!",
        "Le mot de passe est\nLilas2024x!",
        "mot de passe c'est\nLilas2024x!",
        "Le mot de passe du compte FTP est maintenant\n  Velo2024x",
        "Passwort ist\nLilas2024x!",
        "Das Passwort ist jetzt\nLilas2024x!",
        "La contraseña es\nLilas2024x!",
        "- mdp est\n- Velo2024x",
        "Le mot de passe est\n\nLilas2024x!",
        "Password for the admin was\nS3cr3tPw9",
    ],
)
def test_a_label_whose_line_ends_with_a_copula_awaits_its_value_on_the_next_line(text: str) -> None:
    """A copula ending the label's line (is, est, c'est, ist, es: the sentence broken before its complement) awaits
    the value as ':' does: words after the label that make a sentence do not make this one a sentence."""
    assert secrettext.prose_secret(text) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    [
        "Le mot de passe est\ndans le coffre",
        "The password is\nin Bitwarden",
        "Le mot de passe est\nVoir Coffre",
        "Password is\n1Password",
        "Le mot de passe est\n12 caractères",
        "Le responsable du mot de passe est\nJeanDupont2",
        "Le mot de passe a été changé et le responsable est\nMarie75",
        "Mot de passe oublié, la procédure est\nReset2024",
    ],
)
def test_a_copula_ending_a_line_that_is_no_label_alone_awaits_no_value(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a label ending its line with a table's '|' or any arrow, the value alone on the next line
        ("mot de passe |\nLilas2024x!", "a password"),
        ("| Mot de passe FTP |\n  Velo2024x", "a password"),
        ("mdp ⇨\nLilas2024x!", "a password"),
        ("Mot de passe du wifi ➤\n  Velo2024x", "a password"),
        ("Password ⮕\nS3cr3tPw9", "a password"),
        ("mdp ⇢\n- Velo2024x", "a password"),
        ("Token Matomo ⇾\n0123456789abcdef0123", "a token or key"),
        ("Identifiants Nextcloud |\n  asso / Velo2024x", "a password"),
        # the same arrows between a label and its value on one line
        ("mot de passe ⇨ Lilas2024x!", "a password"),
        ("mdp FTP ➤ Velo2024x", "a password"),
        # the separator at the start of the value's line
        ("mot de passe\n: Lilas2024x!", "a password"),
        ("Mot de passe FTP\n= Velo2024x", "a password"),
        ("mdp\n→ Velo2024x", "a password"),
        ("Password for the admin\n  -> S3cr3tPw9", "a password"),
        ("Token Matomo\n: 0123456789abcdef0123", "a token or key"),
        ("Identifiants FTP\n: asso / Velo2024x", "a password"),
    ],
)
def test_a_label_and_its_value_on_the_next_line_after_any_separator_are_found(text: str, kind: str) -> None:
    """Found at its label, on the first line."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == kind and found[1] == text.index(text.lstrip("| ")), found


@pytest.mark.parametrize(
    "text",
    [
        "mot de passe -\nLilas2024x!",
        "mot de passe --\nLilas2024x!",
        "mot de passe –\nLilas2024x!",
        "mot de passe —\nLilas2024x!",
        "Mot de passe FTP —\n  Velo2024x",
        "Password for the admin –\nS3cr3tPw9",
    ],
)
def test_a_label_ending_its_line_with_any_dash_gives_its_value_on_the_next(text: str) -> None:
    """An en or em dash ends a label's line as '-' does (as all three stand between a label and its value on one
    line): found at the label."""
    assert secrettext.prose_secret(text) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    ["mot de passe —\nvoir le coffre", "Mot de passe –\nBitwarden", "mot de passe —\n\nRéunion2024"],
)
def test_words_after_a_label_ending_with_a_dash_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note",
    [
        "mot de passe |\nvoir le coffre",
        "mdp ⇨\nBitwarden/Membres/Velo2024",
        "Mot de passe\n: voir Bitwarden",
        "Mot de passe\n→ changé le 12/03/2026",
        "| Service | Mot de passe |\n|---|---|\n| FTP | voir coffre |",
        "| Login | Mot de passe |\n| asso | voir coffre 2024 |",
        "Token Matomo\n: renouvelé le 2026-02-01",
    ],
)
def test_words_after_such_a_separator_on_the_next_line_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


# The signs a note writes between a label and its value besides ':', '=', '->' and '=>': the usual arrows pointing right
# (Unicode's, dingbats' and the supplemental ones), the triangles and pointers pointing right, the guillemets, a hand
# pointing right, and two-sign ones (>>, ~>, ::, :=)
OTHER_SEPARATORS = [
    *("▶", "►", "▸", "▹", "▷", "▻", "⏵", "⯈", "⮞", "⮚", "»", "›", "❯", "☞", "👉"),
    *("↝", "↠", "↣", "↪", "⇀", "⇉", "⇛", "⇝", "⇥", "⇶", "⟿", "⤍", "⤏", "⤑", "⤳", "⭆", "⭬", "🠒", "🡒", "🡺", "🢂"),
    *(">>", ">>>", "~>", "~~>", "::", ":="),
]


@pytest.mark.parametrize("sign", OTHER_SEPARATORS)
@pytest.mark.parametrize(
    ("form", "kind"),
    [
        ("mot de passe {} Lilas2024x!", "a password"),
        ("mdp FTP{}Velo2024x", "a password"),
        ("Passwort {} Lilas2024x!", "a password"),
        ("password {} S3cr3tPw9", "a password"),
        ("Token Matomo {} 0123456789abcdef0123", "a token or key"),
        ("Identifiants FTP {} asso / Velo2024x", "a password"),
        ("code PIN {} 4821", "a password"),
        ("Digicode {} 4821B", "a door or alarm code"),
        # ending the label's line, the value alone on the next
        ("mot de passe {}\nLilas2024x!", "a password"),
        ("Mot de passe du wifi {}\n  Velo2024x", "a password"),
        ("password {}\n- S3cr3tPw9", "a password"),
        ("Token Matomo {}\n0123456789abcdef0123", "a token or key"),
        ("Identifiants Nextcloud {}\n  asso / Velo2024x", "a password"),
        # starting the value's line
        ("mot de passe\n{} Lilas2024x!", "a password"),
        ("Password for the admin\n  {} S3cr3tPw9", "a password"),
        # a passphrase after it
        ("Mot de passe {} Velosolex Jean", "a password"),
        ('mdp {} "Lilas 2024!"', "a password"),
    ],
)
def test_a_label_and_its_value_after_any_arrow_triangle_guillemet_or_double_sign_are_found(
    sign: str, form: str, kind: str
) -> None:
    """Each of those signs stands between a label and its value as ':' and '->' do, on one line, ending the label's
    line or starting the value's: found at the label."""
    text = form.format(sign)
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == kind and found[1] == 0, (text, found)


@pytest.mark.parametrize("sign", OTHER_SEPARATORS)
@pytest.mark.parametrize(
    "form",
    [
        "mot de passe {} voir le coffre",
        "mot de passe {}\nvoir Bitwarden (collection 2)",
        "mdp {}\nBitwarden/Membres/Velo2024",
        "Mot de passe\n{} changé le 12/03/2026",
        "Réglages {} Comptes {} Mot de passe {} 2FA",
        "Réglages {} Sécurité {} Mot de passe oublié",
        "PHP 8.2 {} 8.3 prévu le 12/03",
        "Token Matomo {} renouvelé le 2026-02-01",
        "code PIN {} voir la trésorière",
        "Password {} Same As Before",
    ],
)
def test_words_after_those_signs_are_none(sign: str, form: str) -> None:
    note = form.replace("{}", sign)
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "note",
    [
        # a menu's path, a quoted e-mail, code, a shell's redirection, a gem's version
        "Menu : Réglages ▶ Comptes ▶ Sécurité ▶ Mot de passe",
        "Chemin : Outils › Options › Mots de passe › Exporter",
        "Le lien « Mot de passe oublié » renvoie une erreur 500.",
        "> Bonjour,\n>> j'ai oublié mon mot de passe\n>> Marie",
        "> mot de passe :\n>> voir le coffre",
        "$hash = Password::hash($input);",
        "use Illuminate\\Validation\\Rules\\Password;\nPassword::min(12)->mixedCase();",
        "Password::defaults(fn () => Password::min(8));",
        "PasswordBroker::RESET_LINK_SENT",
        "echo $MDP >> /var/log/asso2024.log",
        "gem 'bcrypt', '~> 3.1.7' pour les mots de passe",
        "x := len(password2024)",
        "mot de passe ⇨\nvoir Bitwarden (collection 2)",
    ],
)
def test_menus_quotes_and_code_holding_those_signs_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # one or two lines blank or only '#' between a label and the line its separator starts
        ("mot de passe\n\n: Lilas2024x!", "a password"),
        ("Mot de passe FTP\n\n\n= Velo2024x", "a password"),
        ("mdp\n#\n→ Velo2024x", "a password"),
        ("Mot de passe\r\n\r\n: Velo2024x", "a password"),
        ("Token Matomo\n\n: 0123456789abcdef0123", "a token or key"),
        ("Identifiants FTP\n\n: asso / Velo2024x", "a password"),
        ("code PIN\n\n: 4821", "a password"),
    ],
)
def test_a_value_starting_with_its_separator_under_a_blank_line_is_found(text: str, kind: str) -> None:
    """A heading, a blank line and a line that is only a value (Mot de passe⏎⏎Azerty123) is a paragraph; the same line
    starting with ':' or an arrow is the value the label awaits."""
    assert secrettext.prose_secret(text) == (kind, 0)


@pytest.mark.parametrize(
    "note",
    [
        "Mot de passe\n\nAzerty123",
        "mot de passe\n\n\n\n: Lilas2024x!",
        "Mot de passe\n\n: voir le coffre",
        "Mot de passe\n\n→ changé le 12/03/2026",
        "Mot de passe\n\n: Réunion du 12/03, site2024 validé",
    ],
)
def test_words_or_a_value_further_under_a_label_and_blank_lines_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        'mdp :\n"Lilas 2024!"',
        "Mot de passe du wifi :\n  « Lilas 2024! »",
        "password =\n'Correct Horse 42'",
        "mot de passe ⇨\n“Velo 2024 Lyon”",
        'mdp\n: "Lilas 2024!"',
        'Mot de passe\n\n→ "Lilas 2024!"',
        'Passwort:\n"Lilas 2024!" (seit März)',
    ],
)
def test_a_passphrase_in_quotes_alone_on_the_line_after_its_label_s_separator_is_found(text: str) -> None:
    """As on one line (mdp : "Lilas 2024!"): the label's line ending with its separator, or the value's starting
    with it."""
    assert secrettext.prose_secret(text) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    [
        'mdp :\n"voir le coffre"',
        'Mot de passe :\n"12 caractères" minimum',
        'Mot de passe :\n"Réunion du 12 mars" validée par le bureau',
        "Le mot de passe :\n« changé le 12 mars »",
        'Mot de passe\n"Lilas 2024!"',
        'mdp :\n\n\n\n"Lilas 2024!"',
    ],
)
def test_words_in_quotes_on_the_line_after_a_label_s_separator_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "login : marie\n/ Lilas2024x!",
        "identifiants : admin\n  / Velo2024x",
        "FTP : asso\n/ Velo2024x",
        "Identifiants Nextcloud :\n  asso\n  / Velo2024x",
        "Pipedrive : asso\n/ Xk29pLm3",
    ],
)
def test_a_login_and_its_password_broken_before_their_slash_are_found(text: str) -> None:
    """As broken after it (login : marie /⏎Lilas2024x!): the password alone on its line after the '/'."""
    assert secrettext.prose_secret(text) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    [
        "login : marie\n/home/marie2024",
        "Dossier : www\n/var/www/asso2024",
        "Horaires : lundi\n/ mardi",
        "Version : 8.2\n/ 8.3",
        "login : marie\n/ voir le coffre",
        "FTP : asso\n/ Velo2024x mis à jour hier",
        "Nextcloud : 25 Go\n/ 50 Go",
    ],
)
def test_a_path_or_words_after_a_slash_starting_a_line_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mot de passe |\n| Lilas2024x! |", "a password"),
        ("| Mot de passe FTP |\n| Velo2024x |", "a password"),
        ("| mdp |\n|Lilas2024x!|", "a password"),
        ("Token Matomo |\n| 0123456789abcdef0123 |", "a token or key"),
        ("| Identifiants Nextcloud |\n| asso / Velo2024x |", "a password"),
        ("| code PIN |\n| 4821 |", "a password"),
        ("mot de passe |\n| Lilas2024x!", "a password"),
    ],
)
def test_a_value_in_a_table_s_row_under_a_label_ending_with_a_bar_is_found(text: str, kind: str) -> None:
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == kind and found[1] == text.index(text.lstrip("| ")), found


@pytest.mark.parametrize(
    "note",
    [
        "| Mot de passe |\n| voir coffre |",
        "| Mot de passe | Date |\n| changé | 12/03/2026 |",
        "| Login | Mot de passe |\n| asso | Bitwarden |",
        "| Mot de passe |\n| Lilas2024x! | FTP |",
        "| Compte | Mot de passe |\n| admin2024 | coffre |",
        "| Mot de passe |\n|---|\n| voir coffre 2024 |",
        "mot de passe\n| Lilas2024x! |",
    ],
)
def test_a_table_s_row_holding_no_value_under_a_label_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "Code d'accès : 4821",
        "code d’accès du wifi : 4821",
        "codes d'accès : 48213",
        "Code accès : 4821",
        "code d'acces 4821",
        "Le code d'accès est 4821",
        "Code d'accès wifi :\n4821",
        "Access code: 4821",
        "access code 48213",
    ],
)
def test_an_access_code_of_four_digits_or_more_is_found(text: str) -> None:
    """An access code is a secret as a PIN is (a CSV's column named Code d'accès is read so too): four digits after its
    label are one."""
    assert secrettext.prose_secret(text) == (
        "a password",
        text.lower().index("access" if "access" in text.lower() else "code"),
    )


@pytest.mark.parametrize(
    "note",
    [
        "Code d'accès : 4 chiffres",
        "Code d'accès : voir la trésorière",
        "code d'accès envoyé le 12/03/2026",
        "Code d'accès 2026 envoyé en janvier",
        "Code d'accès : 0000 (par défaut)",
        "Code d'accès : 2024-03-12",
        "Access code: sent by SMS",
    ],
)
def test_words_a_date_or_a_default_after_an_access_code_s_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mdp :\n\n\nLilas2024x!", "a password"),
        ("Mot de passe :\n\n\nAzerty123", "a password"),
        ("mdp :\n#\nLilas2024x!", "a password"),
        ("Mot de passe FTP :\n  #\n  Velo2024x", "a password"),
        ("mot de passe =\n\n#\nVelo2024x", "a password"),
        ("Mot de passe :\r\n\r\n\r\nVelo2024x", "a password"),
        ("mdp ⇨\n\nLilas2024x!", "a password"),
        ("Token Matomo :\n\n\n0123456789abcdef0123", "a token or key"),
        ("şifre:\n##\n  Velosolex Jean", "a password"),
    ],
)
def test_a_value_one_or_two_blank_or_bare_hash_lines_under_a_label_ending_with_a_separator_is_found(
    text: str, kind: str
) -> None:
    """Lines that are blank or only '#' (a comment's or a heading's mark alone) between a label ending its line
    with a separator and the value alone on its line, up to two."""
    assert secrettext.prose_secret(text) == (kind, 0)


@pytest.mark.parametrize(
    "note",
    [
        "Mot de passe :\n\n\n\nAzerty123",
        "mdp :\n#\n\n#\nLilas2024x!",
        "Mot de passe\n\n\nAzerty123",
        "Mot de passe\n#\nAzerty123",
        "Mot de passe :\n#\nvoir coffre",
        "Mot de passe :\n\n\nRéunion du 12/03 : site2024 validé",
        "# Mot de passe :\n#\n# voir le coffre",
    ],
)
def test_a_word_further_under_a_label_or_under_one_without_a_separator_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # login:password@host, the line broken before or after its '@'
        ("marie:Lilas2024x\n@sftp.asso.org", "credentials before a host name"),
        ("marie:Lilas2024x@\nsftp.asso.org", "credentials before a host name"),
        ("bob:Soleil2024x@\n  192.168.1.10", "credentials before a host name"),
        ("asso:Velo2024x!\n@localhost", "credentials before a host name"),
        ("marie:Lilas2024x@\ndb.asso.org:3306", "credentials before a host name"),
        # a URL's too, its scheme before the login
        ("sftp://marie:Lilas2024x\n@sftp.asso.org", "credentials in a URL"),
        ("ftp://asso:Velo2024x!  \n  @ftp.asso.org/www", "credentials in a URL"),
        ("https://marie:Lilas2024x@\nasso.org", "credentials in a URL"),
        # a login and its password, the line broken after the '/' between them
        ("login : marie /\nLilas2024x!", "a password"),
        ("identifiants : admin /\n  Velo2024x", "a password"),
        ("FTP : asso /\nVelo2024x", "a password"),
        ("Identifiants Nextcloud :\n  asso /\n  Velo2024x", "a password"),
        ("Pipedrive : asso /\n  Xk29pLm3", "a password"),
    ],
)
def test_credentials_whose_line_is_broken_between_their_parts_are_found(text: str, kind: str) -> None:
    assert secrettext.prose_secret(text) == (kind, 0)


@pytest.mark.parametrize(
    "note",
    [
        "Accès SSH:\nmarie2@ssh.asso.org",
        "marie:dupont\n@sftp.asso.org",
        "Inscriptions:benevoles\n@asso.org",
        "Horaires : lundi /\nmardi",
        "Nextcloud : 25 Go /\n50 Go",
        "login : marie /\nvoir le coffre",
        "FTP : asso /\nVelo2024x mis à jour hier",
        "Version : 8.2 /\n8.3",
        "https://asso.org:8443\n@marie",
        "voir https://asso.org/membres\n@Marie2024 : merci",
    ],
)
def test_words_or_an_address_across_such_a_line_break_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "şifre: Azerty123",
        "ŞİFRE: Azerty123",
        "Wi-Fi şifresi Azerty123",
        "pasahitza: Azerty123",
        "heslo: Azerty123",  # Czech, Slovak
        "geslo: Azerty123",  # Slovenian
        "lozinka: Azerty123",  # Croatian, Serbian, Bosnian
        "лозинка: Azerty123",
        "adgangskode: Azerty123",  # Danish, Norwegian
        "passord: Azerty123",
        "kodeord: Azerty123",
        "lykilorð: Azerty123",  # Icelandic
        "parool: Azerty123",  # Estonian
        "salasõna: Azerty123",
        "slaptažodis: Azerty123",  # Lithuanian
        "jelszó: Azerty123",  # Hungarian
        "parolă: Azerty123",  # Romanian
        "парола: Azerty123",  # Bulgarian
        "пароль: Azerty123",  # Russian, Ukrainian
        "fjalëkalimi: Azerty123",  # Albanian
        "cyfrinair: Azerty123",  # Welsh
        "pasfhocal: Azerty123",  # Irish
        "contrasenya: Azerty123",  # Catalan
        "contrasinal: Azerty123",  # Galician
        "palavra-passe: Azerty123",  # Portuguese
        "clave: Azerty123",  # Spanish
        "كلمة المرور: Azerty123",  # Arabic
        "كلمة السر: Azerty123",
        "رمز عبور: Azerty123",  # Persian
        "הסיסמה: Azerty123",  # Hebrew
        "पासवर्ड: Azerty123",  # Hindi
        "mật khẩu: Azerty123",  # Vietnamese
        "kata sandi: Azerty123",  # Indonesian
        "pass : Azerty123",
        "PASS= S3cr3tPw",
        "parola d'ordine: Azerty123",
    ],
)
def test_password_after_other_labels_is_refused(text: str) -> None:
    assert secrettext.prose_secret(text) == ("a password", text.index("Wi-Fi ş") + 6 if "Wi-Fi" in text else 0)


@pytest.mark.parametrize(
    "note",
    [
        # the words in sentences, no value after them
        "Zapomniałem hasła do konta, poproszę o reset.",
        "heslo k Wi-Fi je na lednici",
        # after the copulas of other languages, a sentence in capitals saying it is the same, new or unchanged
        "Heslo je Stejné Jako Loni",
        "Heslo Je Stejne Jako Minule",
        "Passordet er Det Samme Som Før",
        "Adgangskoden er Den Samme Som Sidst",
        "Passordet er Nytt Nå",
        "Parola Este Aceeași Ca Anul Trecut",
        "Das Passwort ist Das Gleiche",
        "Geslo je Isto Kot Lani",
        # Finnish and Estonian after on, Hungarian after its label alone: the same, changed, new, where it is
        "Salasana on sama kuin ennen",
        "Salasana on vaihdettu",
        "Salasana on Sama Kuin Ennen",
        "Salasana on Vaihdettu Maaliskuussa",
        "Salasana on Uusi Nyt",
        "Salasana on Kassakaapissa Toimistolla",
        "salasana on Puheenjohtajalla Tallessa",
        "Parool on sama mis enne",
        "Parool on muudetud",
        "Parool on Sama Mis Enne",
        "Parool on Muudetud Märtsis",
        "Parool on Seifis Kontoris",
        "A jelszó megváltozott",
        "A jelszó a széfben van",
        "A jelszó Ugyanaz Mint Tavaly",
        "A jelszó Megváltozott Márciusban",
        "Jelszó Visszaállítása Sikeres",
        "A jelszó A Széfben Van",
        "Elfelejtettem a jelszót, kérlek segíts.",
        "Unohdin salasanan, voitko auttaa?",
        "Salasana on liian lyhyt.",
        "Parool on liiga lühike.",
        "Salasana oli sama kuin ennen",
        "Salasana on nyt Sama Kuin Ennen",
        "Salasanani on Vaihdettu Eilen",
        "Parool oli Muudetud Märtsis",
        "A jelszó most Megváltozott",
        # a column's name among others, a header of title-case words: no article before the label
        "Email\tJelszó\tUtolsó Belépés",
        "Felhasználónév Jelszó Utolsó Belépés",
        "Név Email Jelszó Megjegyzés Dátum",
        "Email Kártya Jelszó Utolsó Belépés",  # a word ending in a before the label: no article
        "Pizza jelszó Almafa Körte",
        # what is said of it: not good, was bad, below, at someone's
        "A jelszó Nem Jó",
        "A jelszó Rossz Volt",
        "A jelszó Lent Van",
        "A jelszó Kovács Péternél.",
        "Das Passwort war Das Gleiche",
        "Das Passwort war falsch",
        "Passordet var Det Samme Som Før",
        "la contraseña era demasiado corta",
        "Heslo bylo Stejné Jako Loni",
        "Hasło było zmienione w marcu",
        "Şifre değiştirildi 2024 yılında.",
        "Jelszó: lásd a trezort",
        "Lozinka je promijenjena 12.03.2026.",
        "Adgangskode: se kodeordsmanageren",
        "كلمة المرور: في الخزنة",
        # Italian parola (a word) and parola chiave (a keyword), Spanish palabra clave, French parole: no label
        "Parola: Ciao2024",
        "Parola chiave: WordPress6",
        "Parola chiave è WordPress6",
        "la parola giusta è Ciao2024",
        "palabra clave: SEO2024x",
        "Temps de parole : 10minutes",
        # pass as a ticket or a card
        "Pass Culture : offre validée",
        "Pass Navigo : Velo2024x",
        "pass: Culture et Sport.",
        "Pass: 2024-2025",
        "Les Pass'Sport : 2025",
    ],
)
def test_words_of_other_labels_without_a_password_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note",
    [
        "mot\u00a0de\u00a0passe : Azerty123",  # no-break spaces, as a French keyboard or word processor types them
        "mot de\u202fpasse : Azerty123",
        "Mots\u2007de passe : Azerty123",
    ],
)
def test_the_french_label_with_other_spaces_between_its_words_is_a_password(note: str) -> None:
    """A space outside ASCII between mot, de and passe is the same label as the plain space."""
    assert secrettext.prose_secret(note) == ("a password", 0)


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("ＭＤＰ Azerty123", "a password"),  # fullwidth letters, as an East Asian input method types them
        ("mdp : Ａｚｅｒｔｙ１２３", "a password"),
        ("𝗺𝗼𝘁 𝗱𝗲 𝗽𝗮𝘀𝘀𝗲 : Azerty123", "a password"),  # mathematical bold, as "bold" text generators give it
        ("ｐａｓｓｗｏｒｄ: Sunshine2024", "a password"),
        ("Ｔｏｋｅｎ: 4h8GkZqv2LmN", "a token or key"),
    ],
)
def test_a_secret_written_in_compatibility_characters_is_found(note: str, kind: str) -> None:
    """Text that shows as a label and a password is one, whatever code points draw its letters (NFKC)."""
    assert secrettext.prose_secret(note) == (kind, 0)


def test_a_secret_in_compatibility_characters_is_placed_on_its_line() -> None:
    """Found in the text's NFKC form, the secret is placed at the start of its own line of the text as written,
    so that the message names the right line."""
    note = "Ｃｏｎｔａｃｔ : Mme Dupont\nancien hébergeur\nｍｄｐ : Azerty123"
    found = secrettext.prose_secret(note)
    assert found == ("a password", note.index("ｍｄｐ"))
    with pytest.raises(ValueError, match="on line 3 of the text"):
        registry.no_secret_in_prose(note)


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("mdp : Azerty١٢٣٤", "a password"),  # Arabic-Indic digits
        ("mot de passe : Lilas۲۰۲۴x", "a password"),  # Persian's (extended Arabic-Indic)
        ("Passwort: Geheim२०२४", "a password"),  # Devanagari
        ("mdp : Azerty１２３４", "a password"),  # fullwidth
        ("mdp Velo২০২৪x", "a password"),  # Bengali, the value alone after its label
        ("كلمة المرور: Azerty١٢٣", "a password"),
        ("code PIN : ٤٨٢١", "a password"),
        ("mdp : ١٩٠٦١٩٨٥", "a password"),
        ("Mot de passe FTP :\n  Velo٢٠٢٤x", "a password"),
        ("Token Matomo : ٠١٢٣٤٥٦٧٨٩abcdef", "a token or key"),
        ("identifiants : admin / Lilas٢٠٢٤", "a password"),
    ],
)
def test_a_password_whose_digits_are_of_another_script_is_found(note: str, kind: str) -> None:
    """A value's digits of any script (Unicode's decimal digits, which a reader and a login form take as digits) are
    read as ASCII ones, as its fullwidth digits are (NFKC)."""
    assert secrettext.prose_secret(note) == (kind, 0)


@pytest.mark.parametrize(
    "note",
    ["Réunion le ١٢ mars, mot de passe dans le coffre", "mdp : voir le coffre ٢", "Association ٢٠٢٤ du quartier"],
)
def test_words_and_digits_of_another_script_are_no_password(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note", ["Ｃａｆé des ｓｏｕｒｃｅｓ", "Association ﬁdèle du quartier", "Réunion le ２ mars, salle Ａ"]
)
def test_plain_text_in_compatibility_characters_holds_no_secret(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize("above", ["  Mot de passe du wifi", "  şifre", "- Password"])
def test_a_message_hides_a_value_alone_on_its_line_under_a_label_alone_on_its_own(above: str) -> None:
    """A value a message would quote, on a line under a line that is only a password's label, is not shown."""
    assert errors.reads_as_secret("Azerty123", line="  Azerty123", above=above)
    assert "Azerty123" not in errors.shown_unless_secret("Azerty123", line="  Azerty123", above=above)
    # under a line that is no label alone, a value is shown unless shaped as a password by itself (Azerty123 is)
    assert errors.shown_unless_secret("azerty123", line="  azerty123", above="  Le mot de passe") == '"azerty123"'
    assert "Azerty123" not in errors.shown_unless_secret("Azerty123", line="  Azerty123", above="  Le mot de passe")


@pytest.mark.parametrize("dash", sorted(map(chr, secrettext._PROSE_DASHES)))
def test_each_other_dash_is_read_as_one_in_a_text_with_accents(dash: str) -> None:
    """A text outside ASCII that NFKC leaves as it is is read once; one holding one of Unicode's other dashes,
    which NFKC may keep too, is still read with it as a dash (the shortcut of the usual accented name)."""
    assert secrettext.prose_secret(f"Mot de passe de l'équipe {dash} Soleil2024x") == ("a password", 0)
    assert secrettext.prose_secret(f"Club de l'Étoile {dash} quartier Saint-Jean") is None


@pytest.mark.parametrize(
    "text",
    [
        "otp " * 8000,  # a label before letters and spaces that a seed in groups of 4 is made of
        "TOTP " * 8000,
        "2FA " * 8000 + "\n",
        "seed abcd " * 4000,
    ],
)
def test_a_text_full_of_two_factor_labels_is_read_in_a_time_of_its_length(text: str) -> None:
    """A two-factor seed's value looked ahead for one of base32's digits over every letter and space after each
    label, to the end of the text: 32 KB of "otp otp ..." took 10 s (8 KB 0.7 s), a time in the square of the length.
    It looks no further than a seed's length (_TOTP_LOOKAHEAD characters): four times the text takes about four
    times as long (the least of three runs each, CPU time; sixteen times in the square)."""
    import time

    def least(sample: str) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            assert secrettext.prose_secret(sample) is None
            times.append(time.process_time() - start)
        return min(times)

    quarter = text[: len(text) // 4]
    small, large = least(quarter), least(text)
    assert large < 9 * small, f"{len(quarter)} characters: {small:.3f} s, {len(text)}: {large:.3f} s"


@pytest.mark.parametrize(
    "text",
    ['mdp : "' + "mot " * 8000, 'mdp :\n"' + "mot " * 8000, 'Passwort » "' + "Wort\t" * 6400 + "\n"],
)
def test_a_quote_opening_words_never_closed_after_a_label_is_read_in_a_time_of_its_length(text: str) -> None:
    """A passphrase in quotes after its label was looked ahead for a blank then its closing quote, the words before
    the blank given back one at a time, each time read to the line's end: 'mdp : "' then 32,000 characters of
    words and no closing quote took 2.4 s (16,000: 0.55 s), on the next line too (mdp :⏎"...). The run before the
    first blank holds none, the run after it is read whole: four times the text takes about four times as long."""
    import time

    def least(sample: str) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            assert secrettext.prose_secret(sample) is None
            times.append(time.process_time() - start)
        return min(times)

    quarter = text[: len(text) // 4]
    small, large = least(quarter), least(text)
    assert large < 9 * small, f"{len(quarter)} characters: {small:.3f} s, {len(text)}: {large:.3f} s"


@pytest.mark.parametrize(
    "text",
    ['mdp : "Lilas 2024 Velo"', 'mdp :\n"Le Chat Vert Dort"', 'mot de passe : "Lilas2024x!"', 'mdp : "a\nb c"'],
)
def test_a_quoted_passphrase_is_found_as_before(text: str) -> None:
    """The look ahead for a blank before the closing quote, read once, finds what it found (the pattern with the
    look ahead as it was written, run beside it)."""
    source = secrettext._PROSE_PASSPHRASE.pattern
    looked = r"""(?=[^\"”»’'\s]*+[^\S\n][^\"”»’'\n]*+[\"”»’'])"""
    before = r"""(?=[^\"”»’'\n]*[^\S\n][^\"”»’'\n]*[\"”»’'])"""
    assert looked in source
    assert bool(re.search(source.replace(looked, before), text)) == bool(re.search(source, text)), text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mdp " * 80000 + 'mdp "Lilas 2024 Velo!"', "a password"),
        ("Mot de passe " * 20000 + ": Velo2024x", "a password"),
        ("passwort heslo " * 20000 + "heslo : Velo2024x", "a password"),
    ],
)
def test_a_line_of_labels_is_searched_only_in_the_words_before_a_digit(
    monkeypatch: pytest.MonkeyPatch, text: str, kind: str
) -> None:
    """320 KB of "mdp mdp ..." before a passphrase in quotes took 3 s: the password's and the passphrase's forms were
    tried at each label of the line holding a digit (about 20 µs each, the words after it read as words saying
    whose). A match holds a digit (or its gate's separator) a few words after its start (_Pattern.reach): each line
    is searched from that many words before the first: the verdict is the same, and no search starts at the line's
    start."""
    starts: list[int] = []
    regex_of = secrettext._Pattern._regex

    class Recorded:
        def __init__(self, regex: re.Pattern[str]) -> None:
            self.regex = regex

        def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
            starts.append(pos)
            return self.regex.finditer(text, pos, endpos)

    def recorded(pattern: secrettext._Pattern, text: str) -> object:
        regex = regex_of(pattern, text)
        gated = (secrettext._PROSE_PASSWORD, secrettext._PROSE_PASSWORD_FURTHER, secrettext._PROSE_QUOTED_PHRASE)
        return Recorded(regex) if pattern in gated else regex

    monkeypatch.setattr(secrettext._Pattern, "_regex", recorded)
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == kind and found[1] > len(text) - 200, found
    assert starts and min(starts) > len(text) - 2000, min(starts)


@pytest.mark.parametrize(
    "text",
    ["pulumi config set " + "--stack=a " * 24 + "k", "pulumi config set k " + "-s=a " * 24 + "--secret"],
)
def test_a_note_full_of_pulumi_flags_is_read_at_once(text: str) -> None:
    """A flag of pulumi config set and its value after '=' (--stack=a) was read as that flag or as any flag, both
    alike: each one more doubled the time (24 in a note of 270 characters: 20 s of pic check)."""
    import time

    start = time.process_time()
    assert secrettext.prose_secret(text) is None
    assert time.process_time() - start < 3


@pytest.mark.parametrize(
    "text",
    [
        "make set-all" + " --secret pic:x=Zt8kq2LmW9" * 2400,  # no pulumi on the line
        "tool config set" + " --secret pic:x Zt8kq2LmW9" * 2400,
        "pulumi config set-all" + " --secret pic:x=Zt8kq2LmW9" * 2400,
    ],
)
def test_a_line_full_of_pulumi_config_set_all_pairs_is_read_in_a_time_of_its_length(text: str) -> None:
    """Each --secret of a line was looked for pulumi config set-all before it from the line's start: a line of n
    of them without pulumi (make set-all --secret k=v ...) cost n times its length (200 KB: 22 s). Four times the
    text takes about four times as long (the least of three runs each, CPU time; sixteen times in the square)."""
    import time

    def least(sample: str) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            secrettext.prose_secret(sample)
            secrettext.secret_kind(sample)
            times.append(time.process_time() - start)
        return min(times)

    quarter = text[: len(text) // 4]
    small, large = least(quarter), least(text)
    assert large < 9 * small, f"{len(quarter)} characters: {small:.3f} s, {len(text)}: {large:.3f} s"


@pytest.mark.parametrize(
    "flag",
    ["-s a", "-s=a", "--stack prod", "--stack=prod", "-C infra", "--cwd infra", "--config-file x.yaml", "--type int"],
)
def test_the_flags_of_pulumi_config_set_before_its_key_are_read_one_way(flag: str) -> None:
    """A flag of pulumi config set taking a value is read with it only (cobra gives it the next word), never as a flag
    alone whose value is then the key: before the key k, n such flags left n + 1 words to read as the key, each
    reading tried to the end of the line (10,000 characters of `-s a` in 1.7 s); there is one, k."""
    args = f" {flag}" * 40 + " k"
    starts = [m.start() for m in re.finditer(r"(?<= )[^\s-]", args)]
    # the words the flags can be read up to (each word the key), the whole line read
    keys = [
        start
        for start in starts
        if re.match(rf"(?si)(?:[^\S\n]+{secrettext._PULUMI_FLAG})*[^\S\n]+(?=.{{{len(args) - start}}}\Z)", args)
    ]
    assert keys == [len(args) - 1], keys


@pytest.mark.parametrize(
    "text",
    [
        "otp : jbsw ydpe hpkp xpab qrst uvwx 2abc",  # its digit in its seventh group
        "clé 2FA : jbsw ydpe hpkp xpab qrst uvwx yzab cdef ghij klmn opq7",
        "TOTP : JBSWYDPEHPKPXPABQRSTUVWXYZABCDEFGHIJ2",
    ],
)
def test_a_two_factor_seed_whose_digit_comes_late_is_found(text: str) -> None:
    assert secrettext.prose_secret(text) == ("a two-factor secret", 0), text


# Characters that print as nothing (Unicode's Default_Ignorable_Code_Point: format characters, variation selectors,
# the soft hyphen), written as YAML's escapes inside or next to a password's label, and the password after it.
INVISIBLE = [
    ("contact", "Karim mdp\\u200e: Azerty123", "Azerty123"),
    ("notes", "mdp\\u200b: Azerty123", "Azerty123"),
    ("notes", "m\\u00addp: Azerty123", "Azerty123"),
    ("notes", "pass\\u2060word: Azerty123", "Azerty123"),
    ("notes", "mdp\\ufe0f : Azerty123", "Azerty123"),
    ("notes", "\\ufeffpassword\\u200d: Azerty123", "Azerty123"),
    ("name", "باشگاه رمز\\u200cعبور: Velo2024x", "Velo2024x"),
    ("name", "מועדון סיסמה\\u200f: Velo2024x", "Velo2024x"),
    ("name", "نادي كلمة\\u061c المرور: Velo2024x", "Velo2024x"),
]


@pytest.mark.parametrize(("field", "text", "secret"), INVISIBLE, ids=[r[1] for r in INVISIBLE])
def test_pic_check_refuses_a_password_whose_label_holds_invisible_characters_without_showing_it(
    field: str, text: str, secret: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A label read through the characters that print as nothing is a label: the value after it is a password, refused
    and never shown (was: shown whole in the message refusing the character, or accepted where the character is, a
    right-to-left mark in Hebrew)."""
    if field == "contact":
        body = f'name: Case Member\ncontact: {{name: "{text}", email: case@case-asso.fr}}\nuid: 10600\n'
    elif field == "name":
        body = f'name: "{text}"\ncontact: {{name: Case Contact, email: case@case-asso.fr}}\nuid: 10600\n'
    else:
        body = f'{HEAD}notes: "{text}"\n'
    rc, case, _ = _check(tmp_path, body)
    out = capsys.readouterr()
    shown = out.out + out.err
    assert rc == 1, shown
    assert secret not in shown, shown
    assert case in shown, shown


@pytest.mark.parametrize(
    "note",
    [
        "Karim mdp\u200e: Azerty123",
        "m\u00addp: Azerty123",
        "pass\u2060word: Azerty123",
        "باشگاه رمز\u200cعبور: Velo2024x",
        "باشگاه رمز عبور: Velo2024x",
        "מועדון סיסמה\u200f: Velo2024x",
        "Ｍ\u200bＤＰ : Azerty123",
    ],
)
def test_a_password_after_a_label_holding_invisible_characters_is_found(note: str) -> None:
    """The text is read without its characters that print as nothing, and the pre-filter agrees."""
    found = secrettext.prose_secret(note)
    assert found is not None and found[0] == "a password", found
    assert errors.reads_as_secret(note)
    assert "Azerty123" not in errors.shown_unless_secret(note)
    assert not secrettext.no_secret_word(note)


@pytest.mark.parametrize(
    "note", ["Club\u200b de l'Étoile", "باشگاه\u200cها", "Café\ufe0f du coin", "מועדון\u200f האופניים"]
)
def test_plain_text_holding_invisible_characters_holds_no_secret(note: str) -> None:
    assert secrettext.prose_secret(note) is None


def test_a_password_in_a_percent_encoded_url_is_found() -> None:
    """A label and its value percent-encoded in a URL's query (RFC 3986 §2.1) are read decoded too."""
    note = "écrire à mailto:luc@gmial.com?subject=pwd%3DAzerty123"
    assert secrettext.reads_as_secret(note)
    assert secrettext.prose_secret("mailto:luc@gmial.com?subject=mot%20de%20passe%20%3A%20Azerty123") is not None
    assert secrettext.prose_secret("https://example.org/caf%C3%A9?page=2") is None


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("première ligne\nmdp%3DAzerty123\nvoir https://asso.example.org/?a=1%0Ab=2", 2),
        ("a%0Ab\nsecond\nmailto:luc@gmial.com?subject=pwd%3DAzerty123", 3),
        ("mailto:x@example.org?body=bonjour%0Amot%20de%20passe%20%3A%20Azerty123\nfin", 1),
    ],
)
def test_a_percent_decoded_secret_is_told_on_its_line_as_written(text: str, line: int) -> None:
    """A secret found once percent-decoded is told on the line of the text that holds it as written, whatever
    line break (``%0A``) decoding gives anywhere (was: line 1, the start of the text)."""
    found = secrettext.prose_secret(text)
    assert found is not None
    kind, start = found
    assert text.count("\n", 0, start) + 1 == line, (kind, start)
    assert start == 0 or text[start - 1] == "\n", "the start of its line"


def _prose_patterns() -> list[tuple[str, str]]:
    """(name, expression) of every prose pattern holding the ranges of the scripts written without spaces."""
    found = []
    for name in dir(secrettext):
        value = getattr(secrettext, name)
        if isinstance(value, secrettext._Pattern):
            for form, source in (("", value.pattern), (" alone", value.alone)):
                if source is not None and secrettext._PROSE_WRITTEN_WITHOUT_SPACES in source:
                    found.append((name + form, source))
    return found


def test_the_prose_patterns_hold_the_ranges_of_the_scripts_written_without_spaces() -> None:
    names = {name for name, _ in _prose_patterns()}
    assert {"_PROSE_PASSWORD", "_PROSE_PASSWORD_FURTHER", "_PROSE_PAIR", "_PROSE_KEY"} <= names


def test_a_prose_pattern_without_those_ranges_finds_the_same_in_a_text_holding_none_of_their_characters() -> None:
    """A text of no character at or above U+3000 is searched with the patterns compiled without the ranges of CJK
    scripts in their classes (re's compiling of them cost about 1 s): on the notes of this file, they find the
    same matches, at the same places, with the same groups, as the whole patterns."""
    texts = [t for t in [*ACCEPTED, *(r[0] for r in REFUSED)] if not t or max(t) < "\u3000"]
    assert len(texts) > 300
    compared = 0
    for name, source in _prose_patterns():
        whole = re.compile(source)
        without = re.compile(source.replace(secrettext._PROSE_WRITTEN_WITHOUT_SPACES, ""))
        assert without.pattern != whole.pattern
        for text in texts:
            expected = [(m.span(), m.groupdict()) for m in whole.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in without.finditer(text)] == expected, (name, text)
            compared += bool(expected)
    assert compared > 100


@pytest.mark.parametrize(
    "note", ["密码是在2026年3月修改的", "パスワードは12文字以上です", "mot de passe : 12文字以上です"]
)
def test_a_note_holding_a_character_of_those_scripts_is_read_with_the_whole_patterns(note: str) -> None:
    """Without the ranges, a sentence in those scripts after a label would be a value (the patterns compiled
    without them find one here): a text holding one of their characters is read with the whole patterns."""
    source = secrettext._PROSE_PASSWORD.pattern
    assert re.compile(source.replace(secrettext._PROSE_WRITTEN_WITHOUT_SPACES, "")).search(note) is not None
    assert re.compile(source).search(note) is None
    assert secrettext.prose_secret(note) is None
    assert secrettext.prose_secret(note + " mot de passe : Azerty123") is not None


@pytest.mark.parametrize(
    "note",
    [
        "Identifiant SIRET : 12345678900012 / APE9499Z",
        "Identifiant client EDF : 1234567 / PDL12345678901234",
        "Identifiant : W691234567 / Préfecture69",
        "User ID: 12345 / Group7",
        "User agent: Mozilla / Firefox128",
        "Utilisateur : WordPress / PHP8.2",
        "Connexion : Zoom / Teams2024",
    ],
)
def test_an_identifier_or_a_user_s_word_before_two_values_is_no_login_and_password(note: str) -> None:
    """Identifiant, user, utilisateur and connexion name other things than a login with a '/' after them (an
    identification number, a browser, the software used): no pair is read after them, as after Login or Username."""
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note",
    [
        "CREATE USER amicale IDENTIFIED BY '********';",
        "SET PASSWORD FOR 'amicale'@'%' = '********';",
        "echo 'marie:********' | chpasswd",
        "curl -H 'X-Api-Key: VOTRE_CLE' https://amicale-croix.fr/api",
        "curl -H 'X-Api-Key: votre-clé' https://amicale-croix.fr/api",
        "curl -H 'X-Api-Key: VOTRE_CLE_ICI' https://amicale-croix.fr/api",
    ],
)
def test_a_command_pasted_with_its_password_masked_or_as_a_placeholder_is_none(note: str) -> None:
    """A password shown as stars (the way a password manager or a form masks it) or a placeholder naming a key in
    French (VOTRE_CLE, as YOUR_API_KEY in English) is what a how-to writes where the secret goes: no secret, in
    prose as in a cron job's command."""
    assert secrettext.prose_secret(note) is None
    assert secrettext.secret_kind(note) is None


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        # a hash MySQL keeps of a password starts with a star, but is no mask (and is refused as a password is)
        ("CREATE USER amicale IDENTIFIED BY PASSWORD '*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29';", "an SQL password"),
        ("CREATE USER amicale IDENTIFIED BY '**Lilas2024**';", "an SQL password"),
        ("curl -H 'X-Api-Key: CLEF8f3a9c2e71b04d5e' https://amicale-croix.fr/api", "an authorization header"),
    ],
)
def test_a_password_among_stars_or_starting_with_a_key_s_name_is_still_found(note: str, kind: str) -> None:
    found = secrettext.prose_secret(note)
    assert found is not None and found[0] == kind, (note, found)


@pytest.mark.parametrize(
    "command",
    [
        "curl -sH 'X-Api-Key: Zt8kq2LmW9xR' https://amicale-croix.fr/api",
        "curl -fsSH 'PRIVATE-TOKEN: Zt8kq2LmW9xR' https://gitlab.example.org/api/v4/projects",
        'curl -kH "Authorization: Bearer Zt8kq2LmW9xR" https://amicale-croix.fr/api',
    ],
)
def test_a_header_after_curl_s_short_options_bundled_is_found(command: str) -> None:
    """curl takes its short options bundled (-sH is -s -H, curl(1)'s OPTIONS): the header after -sH carries its
    credential as after -H, in a note and in a cron job's command."""
    found = secrettext.prose_secret(command)
    assert found is not None and found[0] == "an authorization header", (command, found)
    assert secrettext.secret_kind(command) == "an authorization header"


@pytest.mark.parametrize(
    "command",
    [
        "curl -sH 'Accept: application/json' https://amicale-croix.fr/api",
        "curl -sH 'X-Cache-Key: Zt8kq2LmW9xR' https://amicale-croix.fr/api",
        "curl -sH 'X-Api-Key: VOTRE_CLE' https://amicale-croix.fr/api",
        "wget -nH https://amicale-croix.fr/",
    ],
)
def test_bundled_short_options_without_a_credential_pass(command: str) -> None:
    assert secrettext.prose_secret(command) is None
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    "note",
    [
        "WordPress (thème Astra / Elementor3.2)",
        "WordPress : Yoast / WooCommerce8.5",
        "Nextcloud Talk / Deck1.12",
        "WordPress, Yoast / WooCommerce8.5.1",
        "Nextcloud {Talk / Deck1.12}",
        "SSH MySQL / MariaDB10.11",
        "FTP : thème / Astra4.1",
        "WordPress (PHP / PHP-8.2)",
        "Pipedrive : asso / Deck1.12b",
        "WordPress : Yoast / WooCommerce8.10.2",
        "Nextcloud : Talk / Nextcloud28.0.14",
    ],
)
def test_a_product_s_name_and_version_after_a_service_s_name_passes(note: str) -> None:
    """A product's name then its version (letters, then a number of up to three digits and a dot, as PHP8.2) is no
    password after a login."""
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "note",
    [
        "WordPress : marie / Lilas2024",
        "WordPress (marie / Lilas.2024!)",
        "Nextcloud : marie / Lilas2024.1",
        "FTP amicale / Lilas12.5!",
        "Nextcloud {marie / Lilas.2024}",
        "WordPress : marie / Marie1.2024",
        "WordPress (marie / Lilas12.2024)",
    ],
)
def test_a_password_holding_a_dot_or_a_year_after_a_login_is_still_found(note: str) -> None:
    """Not a version: a dot before the digits, a year's four digits before or after the dot, a sign after the
    number."""
    assert secrettext.prose_secret(note) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    [
        'pulumi config set --secret pic:dbAdminPassword "Lilas 2024!"',
        "htpasswd -b .htpasswd marie 'Lilas 2024!'",
        "mysql -uasso -p'Lilas 2024!' asso_main",
        'sshpass -p "Lilas 2024!" ssh asso@web1',
        "pulumi config set pic:dbAdminPassword 'Lilas 2024'",
    ],
)
def test_a_quoted_password_holding_a_space_given_to_a_command_is_found(note: str) -> None:
    """The shell gives a value in quotes as one argument, its blanks included (POSIX sh, "Quoting")."""
    assert secrettext.prose_secret(note) is not None
    assert secrettext.secret_kind(note) is not None


@pytest.mark.parametrize(
    "note",
    [
        'pulumi config set --secret pic:dbAdminPassword "voir le coffre"',
        'pulumi config set pic:siteTitle "Fête 2024"',
        'htpasswd -b .htpasswd marie "$PW 2024"',
        "htpasswd -b .htpasswd marie 'voir le coffre'",
        'sshpass -p "$(cat ../priv/pw 2)" ssh asso@web1',
        'mysql -uasso -p -e "SELECT 1 FROM t2"',
        'htpasswd -b .htpasswd marie "Lilas 2024!',
    ],
)
def test_a_quoted_text_given_to_a_command_that_is_no_password_is_none(note: str) -> None:
    """Words without a digit, a variable or a command's output, a key named for no secret, a quote left open."""
    assert secrettext.prose_secret(note) is None
    assert secrettext.secret_kind(note) is None


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ('curl -u "asso:Lilas 2024!" https://amicale-croix.fr/', "a password option"),
        ("curl -sf -u asso:'Lilas 2024!' https://amicale-croix.fr/", "a password option"),
        ("curl -U 'asso:Lilas 2024!' -x proxy.lan https://amicale-croix.fr/", "a password option"),
        ("echo 'Lilas 2024!' | passwd --stdin marie", "a password piped to a program"),
        ('printf "%s\\n" "Lilas 2024!" | passwd --stdin marie', "a password piped to a program"),
        ("mysql -p asso <<< 'Lilas 2024!'", "a password piped to a program"),
        ('echo "marie:Lilas 2024!" | chpasswd', "a password for chpasswd"),
        ("chpasswd <<< 'marie:Lilas 2024!'", "a password for chpasswd"),
        ("http -a 'asso:Lilas 2024!' https://amicale-croix.fr/api", "a password option"),
    ],
)
def test_a_password_in_quotes_holding_a_blank_given_to_curl_or_a_reader_is_found(command: str, kind: str) -> None:
    """The shell gives a quoted argument whole, its blanks included (POSIX sh, 2.2 Quoting): curl's USER:PASSWORD
    in quotes, a password echoed or given in a here-string to a program reading it on its standard input, or to
    chpasswd after its user, is read up to the closing quote, in a cron job's command as in prose."""
    assert secrettext.secret_kind(command) == kind
    found = secrettext.prose_secret(command)
    assert found is not None and found[0] == kind, found


@pytest.mark.parametrize(
    "command",
    [
        "curl -u asso https://amicale-croix.fr/",
        'curl -u "asso" https://amicale-croix.fr/',
        'curl -u "asso:$PW 2024" https://amicale-croix.fr/',
        "curl -u 'asso:voir le coffre' https://amicale-croix.fr/",
        "echo 'voir le coffre' | passwd --stdin marie",
        'echo "$PW 2024" | passwd --stdin marie',
        "echo 'Réunion à 18 h' | mail -s 'AG 2024' bureau@amicale-croix.fr",
        'echo "marie:$PW 2024" | chpasswd',
        "echo 'marie:voir le coffre' | chpasswd",
        "export DB_HOST=db1.lan",
        'export DB_PASSWORD="$(cat ~/priv/db)"',
        'export DB_PASSWORD="${DB_PASSWORD_FILE}"',
        "export DB_PASSWORD='voir le coffre'",
        'export SITE_TITLE="Fête 2024 du quartier"',
    ],
)
def test_a_command_s_quoted_words_holding_no_password_are_none(command: str) -> None:
    """No password: curl given its user alone (it prompts for the password), words without a digit, an expansion,
    a variable named for no secret, a program reading no password."""
    assert secrettext.prose_secret(command) is None
    assert secrettext.secret_kind(command) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a value in brackets after its label, with a separator or without one
        ("mot de passe (Lilas2024x)", "a password"),
        ("mot de passe : (Lilas2024x)", "a password"),
        ("mdp [Lilas2024x!]", "a password"),
        ("Mot de passe du wifi : {Velo2024x}", "a password"),
        ("Passwort: ( Geheim2024x )", "a password"),
        ("pass : (Azerty123)", "a password"),
        ("Token Matomo : (0123456789abcdef0123)", "a token or key"),
        ("code PIN : (4821)", "a password"),
        ("Digicode : [4821B]", "a door or alarm code"),
        # a login, then its password in brackets, after a service's name or any word
        ("wp: paul (Lilas2024x)", "a password"),
        ("Nextcloud : asso (Velo2024x!)", "a password"),
        ("FTP : asso [Velo2024x]", "a password"),
        ("Pipedrive : asso {Xk29pLm3}", "a password"),
        ("identifiants : paul@amis-du-rhone.org (Lilas2024x)", "a password"),
    ],
)
def test_a_value_in_brackets_after_its_label_or_its_login_is_found(text: str, kind: str) -> None:
    """Brackets around a value, as quotes are: the value inside is read as without them."""
    assert secrettext.prose_secret(text) == (kind, 0)


@pytest.mark.parametrize(
    "note",
    [
        "mot de passe (voir le coffre)",
        "mot de passe (dans Bitwarden)",
        "Mot de passe (FTP) : voir le coffre",
        "Mot de passe (FTP2024) : voir le coffre",
        "mot de passe (12 caractères)",
        "mot de passe (WPA2-PSK)",
        "Mot de passe (Office365) : voir coffre",
        "mdp (changé le 12/03/2026)",
        "contact : paul@x.org (président)",
        "Nextcloud : marie (AG2024)",
        "Nextcloud : marie (trésorière2024)",
        "Réunion : salle (B204)",
        "WordPress : Yoast (v2.3)",
        "Horaires : lundi (9h-12h)",
        "Pipedrive : asso (Velo2024)",
        "Code d'accès : (4 chiffres)",
    ],
)
def test_words_a_name_or_a_version_in_brackets_after_a_label_or_a_login_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "identifiants : paul@amis-du-rhone.org Lilas2024x",
        "Nextcloud : marie@asso.org Velo2024!",
        "login: paul@asso.fr S3cr3tPw9",
        "Pipedrive : paul@asso.org Xk29pLm3",
        "Identifiants FTP :\npaul@asso.org Lilas2024x",
    ],
)
def test_a_password_after_a_login_that_is_an_address_is_found(text: str) -> None:
    """An address then a blank then a password shaped as one (a digit then a letter, a capital after a small letter,
    or a sign) after a pair's label: the login and its password."""
    assert secrettext.prose_secret(text) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    [
        "contact : paul@x.org (président)",
        "contact : paul@x.org président",
        "Nextcloud : paul@asso.org depuis 2024",
        "identifiants : paul@asso.org et son mot de passe habituel",
        "Zoom : paul@asso.org AG2026",
        "Mail : contact@asso.org 2024",
        "Contact : marie@asso.org Lilas2024",
        "identifiants : paul@asso.org / voir le coffre",
    ],
)
def test_words_a_year_or_a_name_after_an_address_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize("sign", OTHER_SEPARATORS)
@pytest.mark.parametrize(
    "form",
    ["pass {} Azerty123", "PASS{}S3cr3tPw9", "Pipedrive {} asso / Xk29pLm3", "Pipedrive {}\nasso / Xk29pLm3"],
)
def test_pass_alone_and_a_pair_after_any_word_take_every_separator(sign: str, form: str) -> None:
    """pass alone and a pair after a word no service's name take the separators the other labels take
    (_SEPARATOR_SIGN), not only ':' and '='."""
    text = form.format(sign)
    assert secrettext.prose_secret(text) == ("a password", 0), text


@pytest.mark.parametrize("sign", OTHER_SEPARATORS)
@pytest.mark.parametrize(
    "form", ["Pass Culture {} offre validée", "Pass Navigo {} Velo2024x", "Horaires {} lundi / mardi2", "pass {} 2024"]
)
def test_pass_s_words_and_two_of_a_kind_after_those_separators_are_none(sign: str, form: str) -> None:
    note = form.format(sign)
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "Identifiants FTP :\n\nasso / Velo2024x",
        "Nextcloud :\n\n\nasso / Velo2024x",
        "Pipedrive :\n#\nasso / Xk29pLm3",
        "login/pass →\n\n  marie / Lilas2024x!",
        "Identifiants FTP :\n\npaul@asso.org Lilas2024x",
        "Token Matomo :\n\n(0123456789abcdef0123)",
        'mdp :\n\n"Lilas 2024!"',
    ],
)
def test_a_pair_or_a_value_one_or_two_bare_lines_under_a_label_ending_with_a_separator_is_found(text: str) -> None:
    """Under a label ending its line with a separator and one or two lines blank or only '#', any value the label's
    line would take on the next one (a login and its password too, not only one word)."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[1] == 0, (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "Identifiants FTP :\n\nvoir le coffre",
        "Horaires :\n\nlundi / mardi",
        "Identifiants FTP\n\nasso / Velo2024x",
        "Nextcloud :\n\n\n\nasso / Velo2024x",
        "Identifiants FTP :\n\nasso / Velo2024x mis à jour par Marie",
        'mdp :\n\n"voir le coffre"',
    ],
)
def test_words_or_a_pair_too_far_under_a_label_or_under_one_without_a_separator_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "Zugangscode: 4821",
        "código de acceso: 4821",
        "codigo de acceso : 48213",
        "codice d'accesso: 4821",
        "Codice di accesso 4821",
        "code de connexion : 4821",
        "Toegangscode: 4821",
        "Login code: 4821",
        "code personnel : 4821",
        "Código de acceso: Lilas2024x",
    ],
)
def test_an_access_code_under_any_label_pic_lists_audit_reads_as_one_is_found(text: str) -> None:
    """The labels of an access code in the languages a column's name is read in by pic lists audit (its words: a
    code's, an access's, the words between them), four digits after them a secret as after code d'accès."""
    assert secrettext.prose_secret(text) == ("a password", 0)


@pytest.mark.parametrize(
    "note",
    [
        "Code de connexion envoyé par SMS",
        "code de connexion : 0000",
        "Zugangscode: 4 Ziffern",
        "código de acceso: ver la tesorera",
        "Codice d'accesso 2026 inviato a gennaio",
        "Code postal : 69001",
        "Code adhérent : 4821",
        "codice fiscale 12345678",
        "Code de connexion : 2024-03-12",
    ],
)
def test_words_a_default_or_another_code_after_a_code_s_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None


@pytest.mark.parametrize(
    "text",
    [
        "mdp_wp: Lilas2024x!",
        "pwd_ftp=Lilas2024x!",
        "mdp1: Lilas2024x!",
        "password2: Velo2024x",
        "Password_FTP : Velo2024x",
        "wp-password: Lilas2024x!",
        "ftp-mdp = Velo2024x",
        "pass-phrase: Lilas2024x!",
        "pass_phrase = Velo2024x",
        "passphrase_wifi: Lilas2024x!",
        "mot_de_passe_ftp: Velo2024x",
        "MDP-NAS2 → Velo2024x",
        "pass_ftp: Velo2024x",
        "pass2: Velo2024x",
    ],
)
def test_a_password_s_label_glued_to_what_it_opens_is_found(text: str) -> None:
    """A label joined to the service or the number of the password it names by '_', '-' or a digit, as a
    configuration or a spreadsheet names it (mdp_wp, pwd_ftp, mdp1, wp-password, pass-phrase), then a separator's
    sign and a value as after the label alone."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "mdp_wp: voir le coffre",
        "password-reset: Ticket4521",
        "mot_de_passe_ftp: changé le 12/03/2026",
        "Pass-Sport : Saison2024",
        "pass-culture: 2024",
        "password_policy: 12 caractères",
        "mdp2: dans Bitwarden",
        "passe-partout: Clef2024",
    ],
)
def test_words_or_a_name_after_a_glued_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "db pass Lilas2024x!",
        "FTP pass Velo2024x",
        "wp pass Lilas2024x!",
        "ftp mdp Lilas2024x!",
        "Nextcloud pass: Velo2024x",
    ],
)
def test_pass_after_a_service_s_name_without_a_separator_is_found(text: str) -> None:
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "Zoom pass annuel 2024",
        "FTP pass à renouveler",
        "Pass Navigo 2024",
        "wifi pass Culture2024",
    ],
)
def test_words_after_a_service_and_pass_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "mot de passe : ~~Azerty1~~ Lilas2024x!",
        "mdp: ~~Azerty1~~ Velo2024x",
        "mdp FTP : ~Azerty1~ Velo2024x",
        "mot de passe : ~~Azerty1~~",
        "token : ~~0123456789abcdef~~ fedcba9876543210",
        # HTML's (<s>, <del>, <strike>), as markdown's
        "mot de passe : <s>Azerty1</s> Lilas2024x!",
        "mot de passe : <del>Azerty1</del> Lilas2024x!",
        "mot de passe : <strike>Azerty1</strike> Lilas2024x!",
        "mdp: <S>Azerty1</S> Velo2024x",
        "mdp FTP : <del>Azerty1</del>",
        "token : <s>0123456789abcdef</s> fedcba9876543210",
        "mot de passe <s>Azerty1</s> Lilas2024x!",
    ],
)
def test_a_password_struck_through_after_its_label_is_found(text: str) -> None:
    """Markdown's strikethrough (~~old~~ new), or HTML's (<s>, <del>, <strike>), keeps the old password in the
    text, and the new after it."""
    assert secrettext.prose_secret(text) is not None, text


@pytest.mark.parametrize(
    "note",
    [
        "mot de passe : ~~dans le coffre~~ dans Bitwarden",
        "mdp : ~/priv/mdp.txt",
        "~~Réunion2024~~ reportée",
        "Mot de passe : ~~à changer~~ changé le 12/03/2026",
        "mot de passe : <s>dans le coffre</s> dans Bitwarden",
        "Mot de passe : <del>à changer</del> changé le 12/03/2026",
        "<s>Réunion2024</s> reportée",
    ],
)
def test_words_struck_through_after_a_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "Nextcloud → paul@asso.org Velo2024!",
        "Nextcloud -> paul / Velo2024!",
        "Nextcloud → paul / Velo2024!",
        "wp-admin ➜ marie Azerty123!",
        "Nextcloud → paul@asso.org Velo2024x",
        "Nextcloud => paul (Velo2024x)",
    ],
)
def test_a_login_and_its_password_after_an_arrow_are_found(text: str) -> None:
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "marie@asso.org Lilas2024x!",
        "marie@asso.org / Lilas2024x!",
        "marie@asso.org : Lilas2024x!",
        "paul@asso.org → Velo2024!",
        "paul@asso.org=Velo$2024",
        "accès WordPress marie@asso.org Lilas2024x!",
    ],
)
def test_an_address_and_a_password_after_it_without_a_label_are_found(text: str) -> None:
    """A login that is an address, then a password holding a sign no price, reference nor version holds: no label
    before them says so, the pair does."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "marie@asso.org : 18h30!",
        "marie@asso.org : 12€/mois2",
        "marie@asso.org PROMO#2024",
        "paul@asso.org → jean2@asso.org!",
        "marie@asso.org AG2026",
        "jean@asso.org : Top, merci2024!",
        "Mastodon : @asso@piaille.fr / @velo2@mastodon.social",
        "marie@asso.org : ok pour PHP8.4 !",
        "jean@asso.org : 50%!",
    ],
)
def test_words_after_an_address_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "note",
    [
        "Nextcloud → paul@asso.org AG2026",
        "Zoom → lundi 18h30",
        "Nextcloud → marie (AG2024)",
        "WordPress → thème Astra2 + Elementor",
    ],
)
def test_words_after_a_service_and_an_arrow_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "token: ab12Cd",
        "secret: x9Kq2",
        "api key: a1b2c3",
        "Jeton : 7hG2kP",
        "clé API : Zt8k2m",
    ],
)
def test_a_short_key_of_letters_and_digits_mixed_after_its_label_is_found(text: str) -> None:
    """Under 8 characters, a value whose letters and digits alternate (a letter after a digit and a digit after a
    letter), ending its clause, after a token's or a key's label."""
    assert secrettext.prose_secret(text) == ("a token or key", 0), text


@pytest.mark.parametrize(
    "note",
    [
        "secret: non",
        "token: v2",
        "Secret : AG2024",
        "token: 2024AG",
        "secret : AG2024 reportée",
        "Token : Lyon69",
        "api key: v2.3.1",
        "secret : mp3",
    ],
)
def test_a_short_word_after_a_key_s_label_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "| wp | marie | Lilas2024x! |",
        "| FTP | asso | Velo$2024 | depuis mars |",
        "|Nextcloud|paul@asso.org|Velo2024!|",
        "Accès :\n| Nextcloud | marie | Lilas2024x! |\n| FTP | asso | voir coffre |",
    ],
)
def test_a_login_and_its_password_in_a_table_s_row_without_a_header_are_found(text: str) -> None:
    """A row of a table whose header names no column (or that has none): a cell after another, then the login's, then
    a password holding a password's sign, as after a service's name and its login (wp-admin: marie Azerty123!)."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "| Jean | Dupont | jean75@asso.org |",
        "| Offre | Pro | 12€/mois2 |",
        "| PHP | 8.2 | >=8.1 |",
        "| Salle | B204 | ok! |",
        "| Code | promo | PROMO#2024 |",
        "| Site | lien | https://asso.org/?p=12 |",
    ],
)
def test_a_table_s_row_holding_no_password_is_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "mdpwp: Lilas2024x!",
        "ftppass: Lilas2024x!",
        "wppwd=Lilas2024x!",
        "passwdftp: Lilas2024x!",
        "MDPFTP = Velo2024x",
        "adminpass → Velo2024x",
        "passwordnas: Lilas2024x!",
        "sshpwd : Velo2024x",
        "mdpwifi2: Lilas2024x!",
        "motdepasseftp: Lilas2024x!",
        "userpass: Lilas2024x!",
        "mdpsite = Velo2024x",
        "mdpwp Lilas2024x!",
        "mdp_wp Velo2024x",
    ],
)
def test_a_password_s_label_glued_to_a_service_without_a_sign_between_is_found(text: str) -> None:
    """A short label joined to a service's name with nothing between (mdpwp, ftppass, wppwd, passwdftp), as a
    spreadsheet's column or a list of accounts names it, then a separator's sign and a value."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "ftppass: voir le coffre",
        "compass: Nord2024",
        "bypass: activé en 2024",
        "passwordless: WebAuthn2",
        "Passport : FR2024",
        "mdpwp: changé le 12/03/2026",
        "password-reset Ticket4521",
        "mdp_wp voir le coffre",
    ],
)
def test_words_joined_to_pass_or_a_glued_label_and_no_value_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "mdp wp Velo2024!",
        "pass ftp Lilas2024x!",
        "mot de passe wifi Lilas2024x!",
        "password admin Velo2024x",
        "mdp du wifi Lilas2024x!",
        "mot de passe de l'admin Velo$2024",
        "Pass SSH Xk29pLm3",
        "mdp asso Velo2024!",
        "mot de passe président Lilas2024x!",
        "mot de passe pour le wifi Lilas2024x!",
    ],
)
def test_a_password_after_its_label_and_a_service_s_name_without_a_separator_is_found(text: str) -> None:
    """A label, the service whose password it is (a word or two saying so: du, de l'), then the value without a
    separator, shaped as a password (a letter after a digit, a capital after a small letter, or a sign)."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "wifi pass Culture2024",
        "mot de passe wifi Culture2024",
        "pass wifi Culture2024",
        "mot de passe admin WP6.5",
        "mdp admin Windows10",
        "mot de passe du compte FTP 2024",
        "Pass Navigo 2024",
        "mot de passe admin iOS17",
        "Pass Culture 18ans!",
        "mot de passe de 12caractères!",
        "password with 8chars!",
    ],
)
def test_words_a_year_or_a_product_after_a_label_and_a_service_s_name_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "admin / Lilas2024x!",
        "- marie / Velo$2024",
        "|admin|Lilas2024x!|",
        "| marie | Velo2024! |",
        "marie : Lilas2024x!",
        "asso_main : Xk29!pLm",
        "Accès :\nadmin / Lilas2024x!\n",
    ],
)
def test_a_login_and_its_password_alone_on_their_line_without_a_label_are_found(text: str) -> None:
    """A line that is only a login and a password holding a sign a password's form asks for (``admin /
    Lilas2024x!``, a table's row of two cells, a login in small letters then ``:``), no label before them."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "admin / éditeur / auteur",
        "lundi / mardi 2024",
        "Rappel : AG2024!",
        "Réunion : 18h30!",
        "TVA / 20%!",
        "marie : ok pour 2024 !",
        "| Prix | 12€! |",
        "| Adhésion | 15€/an! |",
        "| Salle | B204 |",
        "Horaires : 9h-12h / 14h-18h30",
        "site / forum2",
        "note : Top2024!",
        "marie / paul / jean2024!",
        "marie / Soleil2024",
        "web01a / web02b",
        "AB12CD / EF34GH",
        "asso / Velo2024x",
    ],
)
def test_words_prices_or_times_alone_on_a_line_as_a_pair_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "Wi-Fi : marie Velo2024!",
        "VPN : paul Lilas2024x!",
        "Nextcloud = asso Velo$2024",
        "NAS : admin Soleil2024?",
        "FTP : login Lilas2024x!",
        "wp-admin: compte Velo2024!",
    ],
)
def test_a_login_and_its_password_after_a_service_s_name_are_found_beside_a_field_s_name(text: str) -> None:
    """After a service's name and its ':', a field's name and its value (Wi-Fi : réseau Asso-5G!, VPN : serveur
    Asso-2!: tests/corpus/prose/accepted.txt) are no login and its password; a login (any other word) and a password
    after it still are."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "admin / Velo2024!",
        "- marie / Soleil2024?",
        "paul / velo!2024",
        "| marie | Velo2024! |",
        "WPA2 : Lilas2024x!",
        "mot de passe root Velo2024x!",
        "mdp wp Velo2024! (changé hier)",
        "mdp : Soleil 2024?",
        "mdp : Argon2024x!",
        "FTP amicale / Lilas12.5!",
        "mot de passe changé en Velo2024!",
        "password set to Soleil2024?",
        "mdp changé pour Velo$2024",
        "mdp : Marseille 2024!",
        "mdp : Octopus 2024!",
    ],
)
def test_a_password_ending_with_a_sentence_s_sign_is_still_found(text: str) -> None:
    """A value that a word no password is (a time, a version, a product, an algorithm, a Wi-Fi's band, a word saying
    where) passes with '!' or '?' after it, as a sentence ends (tests/corpus/prose/accepted.txt: horaires : 9h-12h!,
    WPA2 : AES256!, prod / staging2!); a password ending so is still found, shaped as one (a capital, a small letter and
    a digit, or a sign inside it)."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "password changed to Lilas2024x!",
        "mot de passe changé en Lilas2024x!",
        "le mdp est maintenant Lilas2024x!",
        "le mot de passe a été changé en Velo2024x",
        "mdp modifié pour Lilas2024x!",
        "mot de passe remplacé par Velo$2024",
        "password has been reset to Xk29pLm3",
        "password set to Lilas2024x!",
        "mot de passe du wifi changé en Lilas2024x!",
        "mdp devient Velo2024x",
        "mot de passe réinitialisé à Lilas2024x!",
        "password updated to Velo2024x",
        "mot de passe passé à Lilas2024x!",
        "pw changed to Velo2024x",
        "password changed from Azerty1 to Lilas2024x!",
        "mot de passe changé de Azerty1 en Lilas2024x!",
        "mdp changé d'Azerty1 en Velo2024x",
    ],
)
def test_a_password_after_a_verb_saying_it_was_changed_to_it_is_found(text: str) -> None:
    """A verb between the label and the value (changé en, remplacé par, changed to, set to, devient): the value
    after it, shaped as a password, is the password."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "le mot de passe a été changé en mars 2024",
        "mot de passe changé en 2024",
        "mot de passe changé le 12/03/2026",
        "password changed to v2 policy",
        "mot de passe changé en Janvier2024",
        "password changed to iOS17 format",
        "mot de passe changé pour la rentrée 2024",
        "password changed to 12 characters",
        "mdp modifié par Marie le 3 mars 2024",
        "password changed from 2023 to 2024",
        "mot de passe changé de place en 2024",
    ],
)
def test_a_date_or_words_after_a_verb_saying_a_password_was_changed_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "Karim a changé le mot de passe en Velo2024! hier",
        "changé le mot de passe en Lilas2024x",
        "mis le mot de passe à Lilas2024x",
        "remis le mdp en Lilas2024x",
        "Marie a réinitialisé son mot de passe à Velo2024x",
        "modifié le mdp du wifi en Lilas2024x!",
    ],
)
def test_a_password_after_a_verb_before_its_label_is_found(text: str) -> None:
    """The verb before the label (Karim a changé le mot de passe en Velo2024!, mis le mdp à ...): the value after
    it, shaped as a password, is the password, as after the label then the verb."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "Karim a changé le mot de passe en mars 2024",
        "changé le mot de passe en 2024",
        "mis le mot de passe à jour le 12/03/2026",
        "changé le mot de passe en Janvier2024",
        "remis le mdp à Marie",
    ],
)
def test_a_date_or_words_after_a_verb_before_a_password_s_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "WPA2: Xy7#kq9!pLm",
        "clé wifi : Xy7#kq9!pLm",
        "sésame : Lilas2024x!",
        "WPA key=Xy7#kq9!pLm",
        "Clé WPA2-PSK : Velo2024xLyon",
        "wpa_passphrase=Velo2024xLyon",
        "PSK: Xy7kq9pLm2",
        "Sesame = Velo2024x",
        "WPA3 → Xy7#kq9!pLm",
        "Wi-Fi key: Xy7#kq9!pLm",
    ],
)
def test_a_wi_fi_network_s_key_after_its_label_is_found(text: str) -> None:
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "WPA2 obligatoire",
        "WPA2 : obligatoire depuis 2024",
        "WPA2 : AES256",
        "WPA : WPA2-PSK",
        "WPA2-PSK : activé en 2024",
        "Association Sésame, 12 rue des Lilas",
        "sésame : voir l'étiquette de la box",
        "clé wifi : au dos de la Livebox5",
        "Wi-Fi key: see the label 2024",
    ],
)
def test_words_after_a_wi_fi_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "token ab12Cd",
        "api key ab12Cd34",
        "Token Matomo 3f2a9c1e8b4d4e6f",
        "jeton 7hG2kP",
        "secret x9Kq2, à ne pas diffuser",
    ],
)
def test_a_key_right_after_its_label_without_a_separator_is_found(text: str) -> None:
    """A token's or a key's label then, without a separator, a value of letters and digits mixed (a letter after a
    digit and a digit after a letter)."""
    assert secrettext.prose_secret(text) == ("a token or key", 0), text


@pytest.mark.parametrize(
    "note",
    [
        "token de l'API dans priv/",
        "Token Matomo2024 renouvelé",
        "token v2 expiré",
        "jeton 2FA envoyé",
        "Secret Santa 2024",
        "api key v2.3.1",
        "token Office365 à renouveler",
        "secret de polichinelle 2024",
    ],
)
def test_words_a_version_or_a_name_right_after_a_key_s_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "login admin, pass Soleil2024",
        "user: marie pass: Soleil2024",
        "user: marie pass Soleil2024",
        "login : admin ; pass Velo2024x",
        "identifiant marie, pass Lilas2024x!",
        "login admin - pass Soleil2024",
        "login admin / pass Soleil2024",
    ],
)
def test_pass_after_a_login_and_a_comma_or_a_separator_is_found(text: str) -> None:
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "login admin, pass à renouveler",
        "user marie, Pass Culture 2024",
        "login marie, passe au bureau le 12",
        "login : admin ; pass Navigo",
    ],
)
def test_words_after_a_login_and_pass_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(
    "text",
    [
        "mdp : Velo 2024!",
        "mot de passe : Lilas 2024x!",
        "password: Sun 2024$",
        "mdp FTP = Velo 42!",
        "Mot de passe : Velo 2024! (depuis mars)",
    ],
)
def test_a_password_holding_a_blank_after_its_label_and_separator_is_found(text: str) -> None:
    """A value of two words ending the line or its clause, a letter, a digit and a password's sign in them: a
    password typed with a space."""
    found = secrettext.prose_secret(text)
    assert found is not None and found[0] == "a password", (text, found)


@pytest.mark.parametrize(
    "note",
    [
        "Mot de passe : 12 caractères!",
        "mot de passe : voir 2024",
        "Mot de passe : Janvier 2024",
        "mdp : Bonjour 2024 !",
        "mot de passe : changé 12/03!",
        "mdp : à changer 2024",
        "Mot de passe : 8 chiffres!",
        "mot de passe : min 12!",
        "Mot de passe : Coffre 2024!",
        "Password: Version 2.0!",
        "Mot de passe : Windows 10!",
    ],
)
def test_words_or_a_date_holding_a_blank_after_a_label_are_none(note: str) -> None:
    assert secrettext.prose_secret(note) is None, note


@pytest.mark.parametrize(("cell", "end"), [("|a", "|x1!|"), ("| a ", "| x1! |"), ("|a|", "x1!|")])
def test_a_long_table_row_whose_last_cell_holds_a_sign_is_read_in_a_time_of_its_length(cell: str, end: str) -> None:
    """A row's cells were each read as a value after a login, _PROSE_VALUE's lookaheads reading on to the line's end
    for a digit: 16,000 characters of '|a' before a cell holding a sign took 8 s, a time in the square of the length.
    Each cell's lookaheads stop at its '|': four times the cells take about four times as long (the least of three
    runs each, CPU time; sixteen times in the square)."""
    import time

    def least(sample: str) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            assert secrettext.prose_secret(sample) is None
            times.append(time.process_time() - start)
        return min(times)

    small, large = least(cell * 2000 + end), least(cell * 8000 + end)
    assert large < 9 * small, f"2,000 cells: {small:.3f} s, 8,000: {large:.3f} s"
