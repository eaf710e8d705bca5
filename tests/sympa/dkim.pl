# For each robot of a sympa.conf: the DKIM parameters Sympa derives from it
# (Sympa::Tools::DKIM::get_dkim_parameters, what Sympa signs with), the DMARC
# protection modes, the web address, and a test message signed by Sympa itself.
# Output: one block per robot, "key<TAB>value" lines, the signed message last.
use lib '/usr/share/sympa/lib';
use strict;
use warnings;
use Conf;
use Sympa::Message;
use Sympa::Tools::DKIM;

$Conf::sympa_config = shift @ARGV or die "usage: dkim.pl SYMPA_CONF\n";
Conf::load($Conf::sympa_config, 'no_db') or die "Sympa cannot load $Conf::sympa_config\n";
foreach my $robot (sort(@{Conf::get_robots_list()}), $Conf::Conf{domain}) {
    my $p = Sympa::Tools::DKIM::get_dkim_parameters($robot) or die "no DKIM parameters for $robot\n";
    my $modes = Conf::get_robot_conf($robot, 'dmarc_protection.mode') || [];
    my $text = "From: owner\@$robot\nTo: list\@$robot\nSubject: test\nMessage-ID: <t\@$robot>\nDate: Sat, 28 Nov 2026 12:00:00 +0000\n\nHello.\n";
    my $message = Sympa::Message->new($text, context => $robot);
    $message->dkim_sign(dkim_d => $p->{d}, dkim_selector => $p->{selector}, dkim_privatekey => $p->{private_key})
        or die "Sympa could not sign for $robot\n";
    print "robot\t$robot\n";
    print "d\t$p->{d}\n";
    print "selector\t$p->{selector}\n";
    print "dkim_feature\t", Conf::get_robot_conf($robot, 'dkim_feature'), "\n";
    print "dmarc_protection\t", join(',', @$modes), "\n";
    print "wwsympa_url\t", Conf::get_robot_conf($robot, 'wwsympa_url'), "\n";
    print "message\n", $message->as_string, "\n.\n";
}
