# Sympa's own DMARC protection (Sympa::Message::dmarc_protect) on a message sent to a
# list of the given robot: prints the From header before and after.
# DNS: RES_NAMESERVERS in the environment (as the rendered systemd drop-in sets it),
# and the resolver port given here (tests run their DNS server on a free port).
use lib '/usr/share/sympa/lib';
use strict;
use warnings;
use Conf;
use Net::DNS;
use Sympa::List;
use Sympa::Message;

my ($config, $robot, $list_name, $from, $port) = @ARGV;
Net::DNS::Resolver->port($port) if $port;
$Conf::sympa_config = $config;
Conf::load($Conf::sympa_config, 'no_db') or die "Sympa cannot load $config\n";
my $list = Sympa::List->new($list_name, $robot, {just_try => 1}) or die "no list $list_name\@$robot\n";
my $text = "From: Jeanne Martin <$from>\nTo: $list_name\@$robot\nSubject: test\n"
    . "Message-ID: <dmarc-test\@example.net>\nDate: Sat, 28 Nov 2026 12:00:00 +0000\n\nHello.\n";
my $message = Sympa::Message->new($text, context => $list);
print "before\t", $message->get_header('From'), "\n";
$message->dmarc_protect;
print "after\t", $message->get_header('From'), "\n";
