# Reference answers from RubyGems itself (Debian's ruby: Gem::Version, Gem::Requirement),
# per line:
#   cmp<TAB>A<TAB>B      -> "<", "=", ">" or "invalid"
#   sat<TAB>V<TAB>REQS   -> "true", "false" or "invalid"
# REQS is split on "," into the arguments of Gem::Requirement.new, as a gemspec lists them.
# uprank's documented strictness (docs/versions.md): a blank version or one with
# surrounding whitespace, and an empty requirement list, are invalid here too.
# Usage: ruby rubygems_reference.rb INPUT OUTPUT
require 'rubygems'

def version(text)
  raise ArgumentError, 'blank or padded' if text.strip.empty? || text != text.strip
  Gem::Version.new(text)
end

out = File.open(ARGV[1], 'w')
File.foreach(ARGV[0]) do |line|
  line = line.chomp
  next if line.empty?
  mode, a, b = line.split("\t", -1)
  answer =
    begin
      if mode == 'cmp'
        c = version(a) <=> version(b)
        c.negative? ? '<' : (c.positive? ? '>' : '=')
      else
        v = version(a)
        parts = b.split(',', -1)
        raise ArgumentError, 'empty requirement list' if parts.empty?
        Gem::Requirement.new(*parts).satisfied_by?(v) ? 'true' : 'false'
      end
    rescue ArgumentError, Gem::Requirement::BadRequirementError
      'invalid'
    end
  out.puts answer
end
out.close
