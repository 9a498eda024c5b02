# Reference answers from dpkg's own Perl implementation (Dpkg::Version, libdpkg-perl),
# per line "cmp<TAB>A<TAB>B": "<", "=", ">" or "invalid". The dpkg binary has no batch
# mode; deb_reference.sh asks it directly for a subset of the same cases.
# Usage: perl deb_reference.pl INPUT OUTPUT
use strict;
use warnings;
use Dpkg::Version qw(version_compare version_check);

open(my $in, '<', $ARGV[0]) or die "cannot read $ARGV[0]: $!";
open(my $out, '>', $ARGV[1]) or die "cannot write $ARGV[1]: $!";
while (my $line = <$in>) {
  chomp $line;
  next if $line eq '';
  my (undef, $a, $b) = split /\t/, $line, 3;
  my ($ok_a) = version_check($a);
  my ($ok_b) = version_check($b);
  if (!$ok_a || !$ok_b) {
    print $out "invalid\n";
    next;
  }
  my $c = version_compare($a, $b);
  print $out ($c < 0 ? '<' : $c > 0 ? '>' : '='), "\n";
}
close($out) or die;
