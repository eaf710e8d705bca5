# Sympa writes the transport entries of a new list (Sympa::Aliases::Template,
# from the list_aliases.tt2 of its etc directory) into the given file.
use lib '/usr/share/sympa/lib';
use strict;
use warnings;
use Conf;
use Sympa::Aliases::Template;

my ($config, $file, $name, $domain) = @ARGV;
$Conf::sympa_config = $config;
Conf::load($Conf::sympa_config, 'no_db') or die "Sympa cannot load $config\n";
my $aliases = Sympa::Aliases::Template->new('Template', file => $file);
$aliases->add({name => $name, domain => $domain}) or die "Sympa could not write the entries of $name\@$domain\n";
