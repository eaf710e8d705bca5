"""SympaServer: Sympa and Postfix from Debian's packages on the mail host (a web host).

Creates, on the host (through idempotent scripts and placed files):
- ``<name>-setup``: the packages (sympa, postfix, unbound, SQLite driver),
  asked nothing (debconf answers), with our sympa.conf in place before the
  package's own check; Postfix's services and maps for Sympa's domains;
- ``<name>-config``: sympa.conf (the main list domain, SQLite, DKIM with an
  explicit signer domain, DMARC protection);
- per mail domain (the main one and each member list domain):
  ``<name>-dkim-<domain>`` a pulumi-tls RSA key (secret end to end) and
  ``<name>-dkim-file-<domain>`` its file, readable by Sympa only;
- per list domain of an archived member: its DKIM key and key file stay
  declared (its lists do not run), so that making the member active again
  reuses the key its DNS publishes;
- per member list domain: ``<name>-robot-<domain>``, the robot.conf of the
  Sympa virtual robot (its web address, its own DKIM key and signer domain);
- ``<name>-transport`` and ``<name>-virtual``: Postfix maps routing every
  robot's addresses to Sympa;
- ``<name>-resolver``: the local caching resolver (unbound) that Sympa's DNS
  lookups use (DMARC protection looks up each sender's policy);
- ``<name>-apply``: rebuilds the maps, runs Sympa's own configuration check,
  restarts the services; it runs again whenever any of the above changes.

The web interface is served by the front proxy: :attr:`site_block` is the
Caddy site block to give it.

Deliberately not done: removing a robot's directory, lists or archives when a
member's list domain goes away (they are the member's data: an admin removes
them explicitly), and the DNS records (see DmarcPolicy).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_tls as tls

from components.hostcmd import HostAccess, place_file, run_script
from pic.render import mail

DKIM_KEY_BITS = 2048  # RSA: what every receiver verifies; 2048 bits fit in a TXT record


@dataclass(frozen=True)
class SympaServerArgs:
    host: HostAccess
    sympa_domain: str
    listmaster: str
    selector: str
    mail_exchanger: str
    robots: Sequence[mail.ListDomain]  # member list domains (the main domain is not one of them)
    kept_keys: Sequence[str] = ()  # list domains of archived members: DKIM keys kept, nothing runs
    dmarc_reports: str | None = None  # the DMARC reports' mailbox: to the listmaster when at a list domain


class SympaServer(pulumi.ComponentResource):
    """Sympa with one virtual robot per member list domain, DKIM signing, DMARC protection."""

    dkim_public_keys: dict[str, pulumi.Output[str]]
    domains: pulumi.Output[list[str]]
    site_block: pulumi.Output[str]
    ready: pulumi.Output[str]  # resolves once the configuration is applied and checked

    def __init__(self, name: str, args: SympaServerArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:SympaServer", name, None, opts)
        robot_domains = [r.domain for r in args.robots]
        if args.sympa_domain in robot_domains or len(set(robot_domains)) != len(robot_domains):
            raise ValueError(f"{name}: list domains must be unique and differ from {args.sympa_domain}")
        all_domains = [args.sympa_domain, *robot_domains]
        setup = run_script(
            f"{name}-setup",
            args.host,
            mail.setup_script(
                args.sympa_domain,
                listmaster=args.listmaster,
                mail_exchanger=args.mail_exchanger,
                selector=args.selector,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        after_setup = pulumi.ResourceOptions(parent=self, depends_on=[setup])
        placed: list[pulumi.Resource] = []
        self.dkim_public_keys = {}
        for domain in all_domains:
            key, key_file = self._create_dkim(name, domain, args.host, after_setup)
            self.dkim_public_keys[domain] = key.public_key_pem
            placed.append(key_file)
        for domain in sorted(set(args.kept_keys) - set(all_domains)):
            self._create_dkim(name, domain, args.host, after_setup)  # kept for re-activation, not applied
        texts = self._config_texts(args)
        for label, (path, text, owner, mode) in texts.items():
            placed.append(
                place_file(
                    f"{name}-{label}", args.host, path, text, owner=owner, group=owner, mode=mode, opts=after_setup
                )
            )
        placed.append(run_script(f"{name}-resolver", args.host, mail.resolver_script(), opts=after_setup))
        public = pulumi.Output.all(*(self.dkim_public_keys[d] for d in all_domains))
        fingerprint = public.apply(lambda keys: mail.fingerprint(*(t[1] for t in texts.values()), *keys))
        applied = run_script(
            f"{name}-apply",
            args.host,
            fingerprint.apply(lambda fp: mail.apply_script(robot_domains, fingerprint=fp)),
            opts=pulumi.ResourceOptions(parent=self, depends_on=placed),
        )
        self.domains = pulumi.Output.from_input(all_domains)
        self.site_block = pulumi.Output.from_input(mail.caddy_site(args.sympa_domain))
        self.ready = applied.id
        self.register_outputs(
            {
                "domains": self.domains,
                "dkim_public_keys": self.dkim_public_keys,
                "site_block": self.site_block,
                "ready": self.ready,
            }
        )

    def _create_dkim(
        self, name: str, domain: str, host: HostAccess, opts: pulumi.ResourceOptions
    ) -> tuple[tls.PrivateKey, pulumi.Resource]:
        key = tls.PrivateKey(
            f"{name}-dkim-{domain}",
            algorithm="RSA",
            rsa_bits=DKIM_KEY_BITS,
            opts=pulumi.ResourceOptions(
                parent=self,
                additional_secret_outputs=["private_key_pem", "private_key_openssh", "private_key_pem_pkcs8"],
            ),
        )
        key_file = place_file(
            f"{name}-dkim-file-{domain}",
            host,
            mail.DEBIAN.dkim_key(domain),
            pulumi.Output.secret(key.private_key_pem),
            owner="root",
            group="sympa",
            mode="0640",
            secret=True,
            opts=opts,
        )
        return key, key_file

    @staticmethod
    def _config_texts(args: SympaServerArgs) -> dict[str, tuple[str, str, str, str]]:
        """label -> (path, text, owner, mode) of every plain configuration file."""
        layout = mail.DEBIAN
        all_domains = [args.sympa_domain, *(r.domain for r in args.robots)]
        texts = {
            "config": (
                layout.config,
                mail.sympa_conf(args.sympa_domain, listmaster=args.listmaster, selector=args.selector),
                "sympa",
                "0640",
            ),
            "transport": (layout.transport_map, mail.transport_map(all_domains), "root", "0644"),
            "virtual": (
                layout.virtual_map,
                mail.virtual_map(all_domains, postmaster=args.listmaster, dmarc_reports=args.dmarc_reports),
                "root",
                "0644",
            ),
        }
        for robot in args.robots:
            texts[f"robot-{robot.domain}"] = (
                layout.robot_conf(robot.domain),
                mail.robot_conf(
                    robot.domain,
                    sympa_domain=args.sympa_domain,
                    listmaster=args.listmaster,
                    selector=args.selector,
                    title=robot.title,
                ),
                "sympa",
                "0644",
            )
        return texts
