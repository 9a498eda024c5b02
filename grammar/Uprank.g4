// The uprank rule language. The grammar only recognises shape; names, types and
// semantics are checked by the compiler (engine/compiler), so error messages come
// from one place and the grammar stays small enough to grow.
grammar Uprank;

@lexer::members {
 public:
  // Regex literals (/…/) are told apart from division by the token before them, as in
  // JavaScript: a regex may start only where an operand is expected.
  std::unique_ptr<antlr4::Token> nextToken() override {
    auto token = antlr4::Lexer::nextToken();
    if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) last_type_ = token->getType();
    return token;
  }

 private:
  bool regexAllowed() const {
    switch (last_type_) {
      case 0: case MATCH: case NOT_MATCH: case LPAREN: case COMMA: case LBRACK: case ASSIGN:
      case EQ: case NE: case AND: case OR: case NOT: case WHEN: case WHERE: case COLON:
        return true;
      default:
        return false;
    }
  }
  size_t last_type_ = 0;
}

// Every part the lowering reads carries a label: the parser fills labels without
// building a parse tree, which is half the cost of parsing (the formatter, which needs
// the whole tree, builds it).
file : package=packageDecl? imports+=importDecl* declarations+=declaration* EOF ;

packageDecl : PACKAGE path=qualifiedName ;
importDecl  : IMPORT path=qualifiedName ( AS alias=name )? ;
qualifiedName : parts+=fieldName ( DOT parts+=fieldName )* ;

declaration
  : param=paramDecl
  | function=defDecl
  | policy=ruleDecl
  | constraint=constraintDecl
  | advisory=advisoryDecl
  | suppression=suppressDecl
  | test=testDecl
  | ranking=rankDecl
  ;

// `param kubernetes_version = "" (generic)`: a string param that holds a version of the
// scheme (or "" for none); an override must be one.
paramDecl : PARAM id=name ASSIGN value=expr versions=scheme? ;
defDecl   : DEF id=name LPAREN ( parameters+=name ( COMMA parameters+=name )* )? RPAREN ASSIGN body=expr ;
ruleDecl  : RULE id=fieldName LBRACE clauses+=ruleClause* RBRACE ;

ruleClause
  : TITLE value=expr                                                     # titleClause
  | FOR bindings+=binding ( COMMA bindings+=binding )* ( WHERE filter=expr )? # forClause
  | WHEN value=expr                                                      # whenClause
  | URGENCY value=expr                                                   # urgencyClause
  | SCORE value=expr                                                     # scoreClause
  | REASON category=fieldName                                            # reasonClause
  | MESSAGE value=expr                                                   # messageClause
  | TARGET value=expr                                                    # targetClause
  | RISK kind=fieldName value=expr                                       # riskClause
  | EXPLAIN point=STRING value=expr ( BECAUSE why=expr )?                # explainClause
  | DUE value=expr                                                       # dueClause
  | ESCALATES earlier=qualifiedName                                      # escalatesClause
  ;

// The component ranking policy: run once per component with findings, after the rules;
// `c.findings` are its findings. At most one is active (docs/rule-language.md).
// rank by_context {
//   for c in components
//   urgency max(f.urgency for f in c.findings)
//   score   max(f.score for f in c.findings) because "most urgent finding"
//   factor  "Criticality" criticality_points(c) because "criticality {c.criticality}"
// }
rankDecl : RANK id=fieldName LBRACE clauses+=rankClause* RBRACE ;
rankClause
  : TITLE value=expr                                                     # rankTitleClause
  | FOR variable=name IN collection=expr                                 # rankForClause
  | URGENCY value=expr                                                   # rankUrgencyClause
  | SCORE value=expr ( BECAUSE why=expr )?                               # rankScoreClause
  | DUE value=expr                                                       # rankDueClause
  | FACTOR point=STRING value=expr ( BECAUSE why=expr )?                 # rankFactorClause
  ;

binding : variable=name IN collection=expr ;

// requires "billing-api" >= "4.0" => "postgresql" in ">=13, <17" (generic)
// conflicts "php" in ">=8" with "drupal" in "<9"
constraintDecl
  : kind=REQUIRES subject=constraintSide ARROW other=constraintSide ( URGENCY level=fieldName )?
  | kind=CONFLICTS subject=constraintSide WITH other=constraintSide ( URGENCY level=fieldName )?
  ;
constraintSide : selector=STRING test=versionTest? versions=scheme? ;
versionTest : op=( LT | LE | GT | GE | EQ | NE | IN ) text=STRING ;
scheme : LPAREN id=name RPAREN ;

// A vendor advisory that no feed carries yet; it behaves like a fetched one.
advisoryDecl : ADVISORY id=STRING LBRACE clauses+=advisoryClause* RBRACE ;
advisoryClause
  : AFFECTS package=STRING ( IN range=STRING )? versions=scheme?         # affectsClause
  | FIXED texts+=STRING ( COMMA texts+=STRING )*                        # fixedClause
  | CVSS text=STRING                                                    # cvssClause
  | EXPLOITED ( SINCE since=DATE )?                                     # exploitedClause
  | PUBLISHED date=DATE                                                 # publishedClause
  | SUMMARY text=STRING                                                 # summaryClause
  | INFORMATIONAL kind=STRING                                           # informationalClause
  | ALIASES texts+=STRING ( COMMA texts+=STRING )*                      # aliasesClause
  | URL text=STRING                                                     # urlClause
  ;

// suppress past_end_of_life where c.name == "legacy" until 2026-03-31 because "OPS-412"
suppressDecl : SUPPRESS target=qualifiedName ( WHERE filter=expr )? UNTIL until=DATE BECAUSE reason=STRING ;

// Tests in the language: fixtures, a fixed today, and what must (not) fire.
testDecl : TEST title=STRING LBRACE items+=testItem* RBRACE ;
testItem
  : TODAY date=DATE                                                        # testToday
  | COMPONENT id=componentRef LBRACE settings+=setting* RBRACE             # testComponent
  | EOL product=STRING key=STRING LBRACE settings+=setting* RBRACE         # testEol
  | RELEASE product=STRING key=STRING LBRACE settings+=setting* RBRACE     # testRelease
  | advisory=advisoryDecl                                                  # testAdvisory
  | PARAM id=name ASSIGN value=expr                                        # testParam
  | kind=IDENT key=STRING LBRACE settings+=setting* RBRACE                 # testRecord
  | EXPECT negated=NO? RANK ON components+=componentRef expectations+=expectation*  # testExpectRank
  | EXPECT RANK order=IDENT components+=componentRef ( COMMA components+=componentRef )* # testExpectOrder
  | EXPECT negated=NO? expected=qualifiedName ON components+=componentRef ( COMMA components+=componentRef )* expectations+=expectation* # testExpect
  ;
// Component names in tests: a plain name, or a string for names such as "api-eu".
componentRef : id=name | text=STRING ;
setting : field=fieldName ( values+=literal | list=LBRACK ( values+=literal ( COMMA values+=literal )* )? RBRACK ) ;
expectation
  : kind=URGENCY value=fieldName
  | kind=SCORE negative=MINUS? number=NUMBER
  | kind=REASON value=fieldName
  | kind=MESSAGE text=STRING
  | kind=TARGET text=STRING
  | kind=EXPLAIN point=STRING text=STRING ( BECAUSE why=STRING )?
  | kind=DUE ( date=DATE | value=fieldName )
  | kind=FACTOR point=STRING negative=MINUS? number=NUMBER ( BECAUSE why=STRING )?
  ;

// A whole expression on its own: string interpolations are parsed with it.
standaloneExpr : value=expr EOF ;

expr
  : atom=primary                                                    # primaryExpr
  | object=expr DOT field=fieldName                                 # fieldExpr
  | object=expr DOT method=fieldName LPAREN args=arguments? RPAREN  # methodExpr
  | object=expr LBRACK index=expr RBRACK                            # indexExpr
  | op=( MINUS | NOT ) operand=expr                                 # unaryExpr
  | left=expr op=( STAR | SLASH | PERCENT ) right=expr              # binaryExpr
  | left=expr op=( PLUS | MINUS ) right=expr                        # binaryExpr
  | left=expr op=( LT | LE | GT | GE | EQ | NE ) right=expr         # binaryExpr
  | left=expr negated=NOT? IN right=expr                            # membershipExpr
  | left=expr op=( MATCH | NOT_MATCH ) right=expr                   # binaryExpr
  | left=expr op=AND right=expr                                     # binaryExpr
  | left=expr op=OR right=expr                                      # binaryExpr
  | IF condition=expr THEN then_value=expr ELSE else_value=expr     # conditionalExpr
  ;

primary
  : value=literal                                                   # literalPrimary
  | quantifier=( ANY | ALL | COUNT ) LPAREN variable=name IN collection=expr ( WHERE filter=expr )? RPAREN # quantifierPrimary
  | function=name LPAREN value=expr FOR variable=name IN collection=expr ( WHERE filter=expr )? RPAREN # aggregatePrimary
  | function=name LPAREN args=arguments? RPAREN                     # callPrimary
  | identifier=name                                                 # namePrimary
  | TODAY                                                           # todayPrimary
  | LPAREN inner=expr RPAREN                                        # parenPrimary
  | LBRACK ( items+=expr ( COMMA items+=expr )* )? RBRACK           # listPrimary
  ;

arguments : items+=argument ( COMMA items+=argument )* ;
argument  : ( label=name COLON )? value=expr ;

literal : STRING | NUMBER | DURATION | DATE | REGEX | TRUE | FALSE ;

// `rank`, `due`, `factor` and `escalates` came after packs used them as names (`def due(c)`): they
// stay usable as names everywhere a keyword cannot start.
name : IDENT | RANK | DUE | FACTOR | ESCALATES ;

// After a dot every keyword is a field or method name (`r.message`, `c.score`), so the
// language can grow new clauses without taking names from records.
fieldName
  : IDENT | TITLE | URGENCY | SCORE | REASON | MESSAGE | TARGET | RISK | EXPLAIN | PACKAGE | IMPORT
  | PARAM | DEF | RULE | ANY | ALL | COUNT | AS | FOR | IN | WHERE | WHEN | AND | OR | NOT
  | IF | THEN | ELSE | TRUE | FALSE | REQUIRES | CONFLICTS | WITH | ADVISORY | AFFECTS | FIXED
  | CVSS | EXPLOITED | SINCE | PUBLISHED | SUMMARY | INFORMATIONAL | ALIASES | URL | SUPPRESS | UNTIL | BECAUSE | TEST
  | TODAY | COMPONENT | EOL | RELEASE | EXPECT | NO | ON | RANK | DUE | FACTOR | ESCALATES
  ;

PACKAGE : 'package' ;
IMPORT  : 'import' ;
AS      : 'as' ;
PARAM   : 'param' ;
DEF     : 'def' ;
RULE    : 'rule' ;
TITLE   : 'title' ;
FOR     : 'for' ;
IN      : 'in' ;
WHERE   : 'where' ;
WHEN    : 'when' ;
URGENCY : 'urgency' ;
SCORE   : 'score' ;
REASON  : 'reason' ;
MESSAGE : 'message' ;
TARGET  : 'target' ;
RISK    : 'risk' ;
EXPLAIN : 'explain' ;
AND     : 'and' ;
OR      : 'or' ;
NOT     : 'not' ;
IF      : 'if' ;
THEN    : 'then' ;
ELSE    : 'else' ;
ANY     : 'any' ;
ALL     : 'all' ;
COUNT   : 'count' ;
TRUE    : 'true' ;
REQUIRES  : 'requires' ;
CONFLICTS : 'conflicts' ;
WITH      : 'with' ;
ADVISORY  : 'advisory' ;
AFFECTS   : 'affects' ;
FIXED     : 'fixed' ;
CVSS      : 'cvss' ;
EXPLOITED : 'exploited' ;
SINCE     : 'since' ;
PUBLISHED : 'published' ;
SUMMARY   : 'summary' ;
INFORMATIONAL : 'informational' ;
ALIASES   : 'aliases' ;
URL       : 'url' ;
SUPPRESS  : 'suppress' ;
UNTIL     : 'until' ;
BECAUSE   : 'because' ;
TEST      : 'test' ;
TODAY     : 'today' ;
COMPONENT : 'component' ;
EOL       : 'eol' ;
RELEASE   : 'release' ;
EXPECT    : 'expect' ;
NO        : 'no' ;
ON        : 'on' ;
RANK      : 'rank' ;
DUE       : 'due' ;
FACTOR    : 'factor' ;
ESCALATES : 'escalates' ;
FALSE   : 'false' ;

DATE     : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
DURATION : DIGIT+ [dw] ;
NUMBER   : DIGIT+ ( '.' DIGIT+ )? ;
STRING   : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
REGEX    : '/' {regexAllowed()}? ( '\\' ~[\r\n] | ~[/\\\r\n] )+ '/' [ims]* ;
// Where a regex may start but none is closed on the line: reported as such, not as a '/'.
UNTERMINATED_REGEX : '/' {regexAllowed()}? ( '\\' ~[\r\n] | ~[/\\\r\n] )* ;
IDENT    : [a-zA-Z_] [a-zA-Z_0-9]* ;

LPAREN : '(' ; RPAREN : ')' ; LBRACE : '{' ; RBRACE : '}' ; LBRACK : '[' ; RBRACK : ']' ;
COMMA : ',' ; DOT : '.' ; COLON : ':' ; ASSIGN : '=' ;
EQ : '==' ; NE : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ;
MATCH : '~' ; NOT_MATCH : '!~' ; ARROW : '=>' ;
PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ; PERCENT : '%' ;

COMMENT    : '#' ~[\r\n]* -> channel(HIDDEN) ;
WHITESPACE : [ \t\r\n]+ -> channel(HIDDEN) ;
// Anything else becomes a token the parser rejects with a precise position.
UNKNOWN_CHAR : . ;

fragment DIGIT : [0-9] ;
