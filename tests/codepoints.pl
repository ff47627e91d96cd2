#!/usr/bin/perl
# codepoints.pl: a long-format table whose group names and loss column
# name walk every byte sequence a name can hold: every code point from
# U+0001 to U+10FFFF encoded as UTF-8 (surrogates and noncharacters
# included), the sequences past U+10FFFF, overlong forms, and every single
# byte from 0x01 to 0xFF.  Quotes, commas and line ends are left out of the
# cells (CSV would quote them); the table has 3 rows per group.  The
# argument is the length of a name in bytes (default 8192).
use strict;
use warnings;

my $chunk = @ARGV ? $ARGV[0] : 8192;
my @names;
my $name = '';
sub add {
	$name .= $_[0];
	if (length($name) >= $chunk) {
		push @names, $name;
		$name = '';
	}
}
# UTF-8 by hand: Perl's encoder refuses surrogates and code points past
# U+10FFFF, which are exactly the sequences a hostile input holds.
sub utf8 {
	my ($c) = @_;
	return chr($c) if $c < 0x80;
	return chr(0xc0 | $c >> 6) . chr(0x80 | ($c & 0x3f)) if $c < 0x800;
	return chr(0xe0 | $c >> 12) . chr(0x80 | ($c >> 6 & 0x3f)) .
	    chr(0x80 | ($c & 0x3f)) if $c < 0x10000;
	return chr(0xf0 | $c >> 18) . chr(0x80 | ($c >> 12 & 0x3f)) .
	    chr(0x80 | ($c >> 6 & 0x3f)) . chr(0x80 | ($c & 0x3f));
}
for my $c (1 .. 0x10ffff, 0x110000 .. 0x110fff, 0x1ffff0 .. 0x1fffff) {
	next if $c == 0x0a || $c == 0x0d || $c == 0x22 || $c == 0x2c;
	add(utf8($c));
}
add("\xc0\x80\xc1\xbf\xe0\x80\x80\xf0\x80\x80\x80\xf8\x88\x80\x80\x80");
for my $b (1 .. 0xff) {
	next if $b == 0x0a || $b == 0x0d || $b == 0x22 || $b == 0x2c;
	add(chr($b));
}
push @names, $name if $name ne '';
binmode STDOUT;
print "run,lr,\"loss ", substr($names[0], 0, 200), " ", $names[-1], "\"\n";
for my $n (@names) {
	my $i = 0;
	for my $lr (0.001, 0.01, 0.1) {
		printf "\"%s\",%s,%s\n", $n, $lr, 1 - 0.1 * $i++;
	}
}
