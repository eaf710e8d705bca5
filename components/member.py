"""Member: the one component of a member, parent of every resource that is the member's own.

A member's resources (its space and files on the web host, its site's container, its
certificate, its databases: MemberSpace, MemberSite, MemberCertificate, MemberDatabase) are
children of one ``pic:index:Member`` component named ``<slug>``. The classes that declare
them are plain builders, not components of their own: a component is a registration, a step
of ``pulumi up`` and a line of the plan, and holds no state.

Stacks applied before this layout hold those resources under four components
(``pic:index:MemberSpace``, ``MemberSite``, ``MemberCertificate``, ``MemberDatabase``, each
named ``<slug>`` or ``<slug>-db-<short>``, parent the stack). Every resource declared here
carries an alias to its URN under its former component (:func:`reparented`), so the engine
finds it in the state and updates it in place (a parent change alone changes nothing on the
host); the engine matches one old resource per alias and takes the first alias that exists
(pkg/resource/deploy/step_generator.go, ``getOldResource``). The former components, which
have no state of their own, simply leave the state.
"""

from __future__ import annotations

import pulumi

# The components of the former layout, by the builder that replaces each.
FORMER_SPACE = "pic:index:MemberSpace"
FORMER_SITE = "pic:index:MemberSite"
FORMER_CERTIFICATE = "pic:index:MemberCertificate"
FORMER_DATABASE = "pic:index:MemberDatabase"


class Member(pulumi.ComponentResource):
    """The component ``<slug>`` of a member; see :func:`member_component`."""

    def __init__(self, slug: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("pic:index:Member", slug, None, opts)
        self.slug = slug
        self.register_outputs({"slug": slug})


# The program run the components below belong to (its monitor and root resource), and the components.
_current: list[tuple[object, object, dict[str, Member]]] = []


def member_component(slug: str) -> Member:
    """The ``Member`` component of ``slug`` in the program being run, made on first use.

    One per slug and per program run (the run is known by its resource monitor and root
    stack resource): the builders of one member share it without being handed it.
    """
    from pulumi.runtime import settings

    monitor, root = settings.get_monitor(), settings.get_root_resource()
    if not _current or _current[0][0] is not monitor or _current[0][1] is not root:
        _current[:] = [(monitor, root, {})]
    members = _current[0][2]
    if slug not in members:
        members[slug] = Member(slug)
    return members[slug]


def reparented(former_parent_type: str, child_type: str, name: str) -> str:
    """The URN resource ``name`` of type ``child_type`` had under its former component.

    That component (of type ``former_parent_type``) was a child of the stack, so its type is the
    whole prefix of its children's qualified type
    (``urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>``, Pulumi's URN format).
    """
    return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{former_parent_type}${child_type}::{name}"


def child_options(
    slug: str,
    former_parent_type: str,
    child_type: str,
    name: str,
    **options: object,
) -> pulumi.ResourceOptions:
    """Options of a member's resource: parent its Member component, aliased to its former URN."""
    return pulumi.ResourceOptions(
        parent=member_component(slug),
        aliases=[reparented(former_parent_type, child_type, name)],
        **options,  # type: ignore[arg-type]
    )


def forget() -> None:
    """Forget the components made so far: the next program run in this process makes its own, even if it
    shares the resource monitor and the root resource of the last (a test running two programs on one
    mocked monitor)."""
    _current.clear()
