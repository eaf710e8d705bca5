"""DmarcPolicy: the mail records of one list domain (SPF, DKIM, DMARC, MX).

Creates no resource of its own: it computes, from the domain's DKIM public
key and DMARC policy, the exact records the domain needs (valid per RFC 7208,
RFC 6376 and RFC 7489), with aggregate reports sent to the admins' mailbox.

- When the domain is in a zone the host serves (``pic:dns`` backend
  ``zonefile``), :class:`components.dns_zones.DnsZones` publishes the records.
- Otherwise the records are exported (``export``): the member publishes them
  in its own zone; ``pic dns check`` says whether it did.

It deliberately does not talk to any DNS provider: the host controls no
zone of its members.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from pic.render import dns


@dataclass(frozen=True)
class DmarcPolicyArgs:
    domain: str
    policy: str  # none | quarantine | reject
    selector: str
    dkim_public_key_pem: pulumi.Input[str]
    mail_exchanger: str
    reports: str  # mailbox of the aggregate reports
    zone: str | None  # the host's zone that holds the domain, or None: the member publishes


class DmarcPolicy(pulumi.ComponentResource):
    """SPF, DKIM and DMARC records of one list domain: published by the host or exported to the member."""

    records: pulumi.Output[list[dict[str, str]]]
    record_list: pulumi.Output[list[dns.Record]]
    published: pulumi.Output[bool]
    export: pulumi.Output[str]

    def __init__(self, name: str, args: DmarcPolicyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:DmarcPolicy", name, None, opts)
        # Fail at preview, not at publication, on a bad policy or mailbox.
        dns.dmarc_value(args.policy, args.reports)
        self.record_list = pulumi.Output.from_input(args.dkim_public_key_pem).apply(
            lambda pem: dns.mail_records(
                args.domain,
                policy=args.policy,
                selector=args.selector,
                public_key_pem=pem,
                mail_exchanger=args.mail_exchanger,
                reports=args.reports,
            )
        )
        self.records = self.record_list.apply(lambda rs: [r.as_dict() for r in rs])
        self.published = pulumi.Output.from_input(args.zone is not None)
        self.export = self.record_list.apply(lambda rs: dns.export_text(args.domain, rs))
        self.register_outputs(
            {"domain": args.domain, "records": self.records, "published": self.published, "export": self.export}
        )
