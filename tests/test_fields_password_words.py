"""A word shaped as a password, pasted without its label into a member file's free text (the association's name, the
contact's name, the notes, an exception's reason) or a notice's note, is refused there without being shown, by one
rule for all of them; the words those fields hold as names, products and versions pass. Both sides measured on
lists of their own (pic.registry.no_password_in_a_name, no_secret_in_a_note)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from pic.notices import _Entry
from tests.test_fields import MINIMAL, _accepted_spec, _messages, _yaml_quoted

# Passwords as they are typed (a word and a number, a sign, capitals inside, Caps Lock on, a passphrase): each is
# refused in every free-text field
PASSWORDS = [
    "Lilas2024x",
    "velo75paris",
    "Soleil-Azur-75",
    "LILAS2024X",
    "PassWord1",
    "Lilas2024x!",
    "Pass1Word",
    "PassWord123",
    "Passw0rd",
    "S3cretPw",
    "Lilas2024X",
    "Azerty123!",
    "Soleil-2025#",
    "MotDePasse2",
    "MotDePasse0123",
    "soleil12azur",
    "Marseille13x",
    "Bonjour2024!",
    "Velo75Paris",
    "TULIPE1999Q",
    "AB12CD34",
    "Vert-Pomme-12",
    "Lilas.Azur.75",
    "Chat_Noir_42",
    "Amis2024!",
    "Summer2023x",
    "Toulouse31b",
    "Nantes44xx",
    "CLUB93PARIS",
    "MonMotDePasse1",
    "Secret123!",
    "Admin2024x",
    "Motdepasse1x",
    "Welcome1!",
    "Qwerty12x",
    "Azerty2024a",  # a year, then a letter an ordinal ends with (2a, 1o): no ordinal after four digits
    "Printemps2025z",
    "jardin44potager",
    "lyon69velo",
    "paris75asso",
    "Sunshine7!",
    "Dragon99x",
    "Hello123World",
    "VELO75PARIS",
    "P4ssw0rd",
    "Mysql2024x",  # a product's name then a year: no release of it
    "8.2.12+Lilas2024x",  # a version, then a password where its build goes
    "Art&Lilas2024x",  # words joined by &, one of them a password's
    # generated (pwgen -cn, a password manager's): small letters and capitals by turns, digits between them
    "n8Fq2LxvT",
    "aZ3kP9mQ",
    "7hG5kL2pQ9",
    "eiK9ahY7oo",
    # one digit between letters, the case turning three times or more (kP, mQ, zL), as no name's word turns it
    "kP9mQzLw",
    "mX7bNqTzR",
    # generated in small letters and digits (pwgen -A -n, a password manager's), digits between letters twice or more
    "8kq2mz7wpx",
    "x7k2p9qm",
    "r4tq9zk2",
    # a common password's word (the lists of leaked passwords: hunter2, azerty, welcome) then a number, or its letters
    # written as digits and signs
    "hunter2",
    "Welcome2024",
    "PassWord2024",
    "Azerty123",
    "m0tdep@sse",
]

# Words a note or an exception's reason holds alone: a product's name and its release (a major version alone, as
# its editor names it, or in dots), a version, a ticket, a hash
NOT_PASSWORDS = [
    "PrestaShop8",
    "MySQL8",
    "web2day",
    "Drupal10",
    "PHP8",
    "Joomla4",
    "Nextcloud28",
    "WordPress6.4",
    "MariaDB10.11",
    "Moodle4",
    "Dolibarr18",
    "Spip4",
    "TYPO3",
    "Zimbra10",
    "Sympa6",
    "PostgreSQL16",
    "phpMyAdmin5",
    "Matomo5",
    "Piwigo14",
    "MediaWiki1.41",
    "Odoo17",
    "Paheko1.3",
    "Mailman3",
    "Debian12",
    "Ubuntu24",
    "Windows11",
    "macOS14",
    "iPhone15",
    "Livebox5",
    "Office365",
    "Python3",
    "Apache2",
    "Symfony6",
    "Laravel11",
    "ownCloud10",
    "CiviCRM5",
    "Magento2",
    "WooCommerce8",
    "PeerTube6",
    "Mastodon4",
    "YubiKey5",
    "SquirrelMail1",
    "OpenSSL3",
    "LibreOffice7",
    "Thunderbird115",
    "Roundcube1.6",
    "MySQL5.7",
    "PHP8.2",
    "RT#1187",
    "ticket#4521",
    "Ticket#4521",
    # a package's version (dpkg -l: Debian's revision after -, its security update after +; SemVer's build)
    "8.2.12-1+deb12u1",
    "1:7.4.33-1+deb11u5",
    "1.2.3-rc.1+build.5",
    # a tracker's name then its ticket's number (GLPI, OTRS, Redmine, Zammad: #, then the number)
    "GLPI#4521",
    "OTRS#20231104",
    "Redmine#4521",
    "Zammad#10042",
    "3f2a9c1e",
    "deadbeef12cafe",
    "a1b2c3",
    "Asso2024",
    # a product's name and its release with its edition, capitalised as its editor writes it
    "ProxmoxVE8",
    "Windows11Pro",
    "Windows10Home",
    "iPhone15Pro",
    "Ubuntu22",
    "PVE8",
    # a password manager and its release, where a note says the password is kept
    "KeePass2",
    "KeePassXC2",
    # a common password's word alone, no number: a word
    "Welcome",
    "Soleil2024",
    # a disk's or its partition's name (Linux's), a network interface's (systemd's predictable names)
    "nvme0n1p1",
    "nvme1n1",
    "mmcblk0p1",
    "sda1",
    "xvdb1",
    "enp0s31f6",
    "enp3s0f1",
    "wlp2s0",
    "wlp0s20f3",
    "ens18",
    # an architecture, alone or after a system's release; a release and its update
    "x86_64",
    "arm64v8",
    "aarch64",
    "win10x64",
    "Windows11x64",
    "debian12u1",
    # a checksum's or an encoding's program, a cipher's or a curve's name
    "sha256sum",
    "sha512sum",
    "md5sum",
    "base64url",
    "base32hex",
    "secp256r1",
    "argon2id",
    "aes256gcm",
    # a domain, capitals in its name (each label read as a name's word is)
    "Tech4Good.fr",
    "PrestaShop8.asso-lyon.fr",
]

# Associations' names, a number, an acronym or a year in them: accepted as a member's name and as its contact's
ASSOCIATION_NAMES = [
    "LaMaisonDuVélo2Roues",  # words in camel case, a digit between two words
    "Les Amis du Vélo",
    "ASSO 1901",
    "Club RC2000",
    "Radio FM 93.4",
    "AMAP Lilas 2024",
    "Foyer Rural de Saint-Martin",
    "Compagnie XY2",
    "Club backupS3Box",
    "Radio97FM",
    "Tech4Good Lyon",
    "MJC Lyon8e",
    "Comité Paris13ème",
    "Studio54bis",
    "Club PrestaShop8",
    "Cercle MySQL8",
    "Test pict-a1b2c3-a",
    "Studio3D Lyon",
    "Asso 4K Vidéo",
    "Recyclerie R2D2",
    "Club Informatique CI2A",
    "C3PO Robotique",
    "Ciné-Club 16mm",
    "Studio 3Dprint",
    # words joined by & or +, as names are written (Art&Culture, Bio&Co, Canal+), a number beside them
    "Art&Culture2024",
    "Bio&Co69 Lyon",
    "Bio+Local69",
    "Club3D&Co",
]
# Of those, an association's alone: a person's name holds no digits between letters (a slug's, a brand's, a unit's)
ONLY_ASSOCIATION_NAMES = {"Club backupS3Box", "Radio97FM", "Studio54bis", "Test pict-a1b2c3-a", "Studio3D Lyon"}
ONLY_ASSOCIATION_NAMES |= {"Recyclerie R2D2", "Club Informatique CI2A", "C3PO Robotique", "Ciné-Club 16mm"}
ONLY_ASSOCIATION_NAMES |= {"Studio 3Dprint", "Art&Culture2024", "Bio&Co69 Lyon", "Bio+Local69", "Club3D&Co"}
ONLY_ASSOCIATION_NAMES |= {"LaMaisonDuVélo2Roues"}


def _note(field: str, value: str) -> str:
    """A member file with ``value`` as its ``field``."""
    quoted = _yaml_quoted(value)
    if field == "name":
        return MINIMAL.replace("name: Probe\n", f"name: {quoted}\n")
    if field == "contact.name":
        return MINIMAL.replace("{name: P,", f"{{name: {quoted},")
    if field == "notes":
        return MINIMAL + f"notes: {quoted}\n"
    return MINIMAL + f"exceptions: {{php_eol: {{until: 2027-01-01, reason: {quoted}}}}}\n"


def _notice_note(note: str) -> None:
    _Entry.model_validate(
        {"date": dt.date(2026, 1, 1), "member": "probe-asso", "runtime": "8.2", "to": "a@probe-asso.org"}
        | {"state": "warning", "note": note}
    )


FIELDS = ["name", "contact.name", "notes", "exceptions.php_eol.reason"]
# What each field is told: a name holds a word, a note is one
SAID = {
    "name": "name: the name (not shown) holds a word (word 1) shaped as a password, not as an association's name",
    "contact.name": "contact.name: the name (not shown) holds a word (word 1) shaped as a password, not as a person's",
    "notes": "notes: the text (not shown) is one word shaped as a password",
    "exceptions.php_eol.reason": "exceptions.php_eol.reason: the text (not shown) is one word shaped as a password",
}


def test_the_lists_are_long_enough() -> None:
    assert len(set(PASSWORDS)) >= 40 and len(set(NOT_PASSWORDS)) >= 40


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("password", PASSWORDS)
def test_a_password_is_refused_alike_in_every_free_text_field(field: str, password: str) -> None:
    """name: LILAS2024X (and Soleil-Azur-75, Lilas2024x, velo75paris) was accepted as an association's name, where
    contact.name refused it as a password pasted in a name: the same words are refused in every field, each told in
    its own words, the value not shown."""
    lines = _messages(_note(field, password))
    assert len(lines) == 1 and SAID[field] in lines[0], lines
    assert password not in lines[0] and password.rstrip("!#") not in lines[0], lines


@pytest.mark.parametrize("password", PASSWORDS)
def test_a_password_is_refused_in_a_notice_s_note(password: str) -> None:
    with pytest.raises(ValidationError, match="one word shaped as a password") as caught:
        _notice_note(password)
    assert password not in str(caught.value).split("[type=")[0]


@pytest.mark.parametrize("password", PASSWORDS)
def test_a_password_beside_an_association_s_name_is_refused(password: str) -> None:
    [line] = _messages(_note("name", f"Club {password}"))
    assert "holds a word (word 2) shaped as a password" in line, line


@pytest.mark.parametrize("field", ["notes", "exceptions.php_eol.reason"])
@pytest.mark.parametrize("word", NOT_PASSWORDS)
def test_a_product_a_version_or_a_ticket_alone_passes_as_a_note(field: str, word: str) -> None:
    """notes: PrestaShop8 (and MySQL8, web2day) was refused as 'one word shaped as a password', where Nextcloud28 and
    WordPress6.4 passed: a known product's name then its release, and a word shorter than passwords are typed, pass."""
    spec = _accepted_spec(_note(field, word))
    assert (spec.notes if field == "notes" else spec.exceptions.php_eol and spec.exceptions.php_eol.reason) == word


@pytest.mark.parametrize("word", NOT_PASSWORDS)
def test_a_product_a_version_or_a_ticket_alone_passes_as_a_notice_s_note(word: str) -> None:
    _notice_note(word)


@pytest.mark.parametrize("name", ASSOCIATION_NAMES)
def test_an_association_s_name_passes_as_a_member_s_and_a_contact_s(name: str) -> None:
    assert _accepted_spec(_note("name", name)).name == name
    if name not in ONLY_ASSOCIATION_NAMES:
        assert _accepted_spec(_note("contact.name", name)).contact.name == name


@pytest.mark.parametrize(
    ("word", "shape", "others"),
    [
        ("Lilas2024x", "a word of three letters or more then digits then letters", ["Caps Lock", "generator"]),
        ("LILAS2024X", "capitals around a number as a password typed with Caps Lock on", ["passphrase", "generator"]),
        ("Soleil-Azur-75", "capitalised words joined to a number as a passphrase is made", ["Caps Lock"]),
        ("n8Fq2LxvT", "as a password generator writes them", ["Caps Lock", "passphrase"]),
        ("8kq2mz7wpx", "as a password generator writes them", ["Caps Lock", "passphrase"]),
        ("hunter2", "a common password", ["Caps Lock", "generator"]),
        ("Lilas2024x!", "a password's sign among them", ["Caps Lock", "passphrase"]),
        ("BonJour1", "a capital after a lowercase letter", ["Caps Lock", "passphrase"]),
    ],
)
@pytest.mark.parametrize("field", ["notes", "name"])
def test_a_word_refused_is_told_the_one_shape_it_has_and_what_to_do(
    field: str, word: str, shape: str, others: list[str]
) -> None:
    """notes: Lilas2024x was told in 890 characters every shape the rule knows (a sign, a passphrase, Caps Lock, a
    word then digits then letters, capitals inside): the one shape the word has is told, short, the value hidden, and
    what to do (keep the password out of the file, write where it is kept)."""
    [line] = _messages(_note(field, word))
    assert shape in line and not [o for o in others if o in line], line
    assert word not in line and len(line) < 480, (len(line), line)
    if field == "notes":
        assert "Keep the password out of this file" in line and "write here where it is kept" in line, line


@pytest.mark.parametrize("word", ["hunter2", "Rose1999q", "n8Fq2LxvT"])
def test_a_shape_s_example_is_left_out_when_it_is_the_word_refused(word: str) -> None:
    """An example told with a shape is never the value refused: that would show it."""
    [line] = _messages(_note("notes", word))
    assert word not in line, line


@pytest.mark.parametrize(
    "word", ["Lilas2024x.fr", "velo75paris.fr", "Welcome2024.org", "Bleu.Ciel.12.fr", "n8Fq2LxvT.fr"]
)
def test_a_password_before_a_domain_s_ending_stays_refused_in_a_note(word: str) -> None:
    """notes: Welcome2024.org passed, read whole: a domain's labels are read each as a name's word is (Tech4Good.fr
    passes), and one shaped as a password is refused."""
    lines = _messages(_note("notes", word))
    assert len(lines) == 1 and SAID["notes"] in lines[0], lines


def test_generated_passwords_do_not_pass_as_technical_names() -> None:
    """The grammars of a disk's, an interface's, an architecture's, a program's names read no password a generator
    writes (pwgen -n, -A -n: 2,000 of each length from 8 to 16, small letters and digits, or capitals too)."""
    import random
    import string

    from pic.secrettext import technical_name

    rng = random.Random(8)
    for alphabet in (string.ascii_lowercase + string.digits, string.ascii_letters + string.digits):
        words = ["".join(rng.choice(alphabet) for _ in range(n)) for n in range(8, 17) for _ in range(2000)]
        assert [w for w in words if technical_name(w)] == []


@pytest.mark.parametrize("name", sorted(ONLY_ASSOCIATION_NAMES))
def test_an_association_s_name_given_as_its_contact_s_too_passes(name: str) -> None:
    """pic new --name Radio97FM (Studio3D Lyon, Recyclerie R2D2: association names pic check takes as a member's name)
    was refused, 'not as a person's name ...; write the contact's name alone', an option pic new lacks: it writes the
    association's name as its contact's too, and the contact's name was read as a person's whatever it was. A
    contact named as its association is read as the association's name is; another is still read as a person's,
    and a password is refused in both."""
    quoted = _yaml_quoted(name)
    both = MINIMAL.replace("name: Probe\n", f"name: {quoted}\n").replace("{name: P,", f"{{name: {quoted},")
    spec = _accepted_spec(both)
    assert spec.name == spec.contact.name == name
    for password in ("Lilas2024x", "hunter2", "Soleil-Azur-75"):
        named = f"{name} {password}"
        text = MINIMAL.replace("name: Probe\n", f"name: {named}\n").replace("{name: P,", f"{{name: {named},")
        assert any("contact.name: the name (not shown)" in m for m in _messages(text)), (named, _messages(text))


def test_pic_new_takes_an_association_s_name_pic_check_takes(tmp_path: Path) -> None:
    """The file pic new writes for --name Radio97FM is taken by pic check, the contact named as its association."""
    import shutil

    from pic.cli import main
    from tests.conftest import ROOT

    members = tmp_path / "members"
    shutil.copytree(ROOT / "members", members)
    new = ["new", "radio-97", "--name", "Radio97FM", "--email", "studio@radio97fm.org", "--project", str(ROOT)]
    assert main([*new, "--members", str(members)]) == 0
    assert main(["check", "--project", str(ROOT), "--members", str(members)]) == 0
    told = _messages(_note("contact.name", "Radio97FM"))  # the contact of another name: a person's
    assert any("contact.name: the name (not shown)" in m and "not as a person's name" in m for m in told), told


@pytest.mark.parametrize("word", ["Bureau12B", "Porte104C", "Escalier12A", "Batiment3C", "Salle204B", "Local12D"])
def test_a_room_s_number_and_its_letter_passes_as_a_note_and_a_name(word: str) -> None:
    """notes: Bureau12B (a room, a door, a staircase: its number then its letter) was refused as 'a word of three
    letters or more then digits then letters', where Salle2B and Studio3D passed: a number of one to three digits
    then one capital ending the word is a room's; a year's four digits then a capital are still refused
    (Lilas2024X), and a small letter after the number (Rose75q)."""
    assert _accepted_spec(_note("notes", word)).notes == word
    assert _accepted_spec(_note("name", f"Club {word}")).name == f"Club {word}"
    for password in ("Lilas2024X", "Bureau2024B", "Rose75qz", "Bureau12b"):
        assert any("shaped as a password" in m for m in _messages(_note("notes", password))), password
