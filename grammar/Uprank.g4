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

file : packageDecl? importDecl* declaration* EOF ;

packageDecl : PACKAGE qualifiedName ;
importDecl  : IMPORT qualifiedName ( AS name )? ;
qualifiedName : fieldName ( DOT fieldName )* ;

declaration
  : paramDecl
  | defDecl
  | ruleDecl
  | constraintDecl
  | advisoryDecl
  | suppressDecl
  | testDecl
  ;

paramDecl : PARAM name ASSIGN expr ;
defDecl   : DEF name LPAREN ( name ( COMMA name )* )? RPAREN ASSIGN expr ;
ruleDecl  : RULE fieldName LBRACE ruleClause* RBRACE ;

// Labels name the parts the lowering reads: they are plain fields of the generated
// contexts, where unlabelled accessors search the children.
ruleClause
  : TITLE value=expr                                           # titleClause
  | FOR binding ( COMMA binding )* ( WHERE filter=expr )?      # forClause
  | WHEN value=expr                                            # whenClause
  | URGENCY value=expr                                         # urgencyClause
  | SCORE value=expr                                           # scoreClause
  | REASON category=fieldName                                  # reasonClause
  | MESSAGE value=expr                                         # messageClause
  | TARGET value=expr                                          # targetClause
  | RISK kind=fieldName value=expr                             # riskClause
  ;

binding : variable=name IN collection=expr ;

// requires "billing-api" >= "4.0" => "postgresql" in ">=13, <17" (generic)
// conflicts "php" in ">=8" with "drupal" in "<9"
constraintDecl
  : kind=REQUIRES constraintSide ARROW constraintSide ( URGENCY fieldName )?
  | kind=CONFLICTS constraintSide WITH constraintSide ( URGENCY fieldName )?
  ;
constraintSide : STRING ( versionTest )? scheme? ;
versionTest : op=( LT | LE | GT | GE | EQ | NE ) STRING | IN STRING ;
scheme : LPAREN name RPAREN ;

// A vendor advisory that no feed carries yet; it behaves like a fetched one.
advisoryDecl : ADVISORY STRING LBRACE advisoryClause* RBRACE ;
advisoryClause
  : AFFECTS STRING ( IN STRING )? scheme?                 # affectsClause
  | FIXED STRING ( COMMA STRING )*                       # fixedClause
  | CVSS STRING                                          # cvssClause
  | EXPLOITED ( SINCE DATE )?                            # exploitedClause
  | SUMMARY STRING                                       # summaryClause
  | ALIASES STRING ( COMMA STRING )*                     # aliasesClause
  | URL STRING                                           # urlClause
  ;

// suppress past_end_of_life where c.name == "legacy" until 2026-03-31 because "OPS-412"
suppressDecl : SUPPRESS qualifiedName ( WHERE expr )? UNTIL DATE BECAUSE STRING ;

// Tests in the language: fixtures, a fixed today, and what must (not) fire.
testDecl : TEST STRING LBRACE testItem* RBRACE ;
testItem
  : TODAY DATE                                                    # testToday
  | COMPONENT componentRef LBRACE setting* RBRACE                 # testComponent
  | EOL STRING STRING LBRACE setting* RBRACE                      # testEol
  | RELEASE STRING STRING LBRACE setting* RBRACE                  # testRelease
  | advisoryDecl                                                  # testAdvisory
  | PARAM name ASSIGN expr                                        # testParam
  | IDENT STRING LBRACE setting* RBRACE                            # testRecord
  | EXPECT NO? qualifiedName ON componentRef ( COMMA componentRef )* expectation* # testExpect
  ;
// Component names in tests: a plain name, or a string for names such as "api-eu".
componentRef : name | STRING ;
setting : fieldName ( literal | LBRACK ( literal ( COMMA literal )* )? RBRACK ) ;
expectation
  : URGENCY fieldName
  | SCORE MINUS? NUMBER
  | REASON fieldName
  | MESSAGE STRING
  | TARGET STRING
  ;

// A whole expression on its own: string interpolations are parsed with it.
standaloneExpr : expr EOF ;

expr
  : atom=primary                                                    # primaryExpr
  | object=expr DOT field=fieldName                                 # fieldExpr
  | object=expr DOT method=fieldName LPAREN arguments? RPAREN       # methodExpr
  | object=expr LBRACK index=expr RBRACK                            # indexExpr
  | op=( MINUS | NOT ) operand=expr                                 # unaryExpr
  | left=expr op=( STAR | SLASH | PERCENT ) right=expr              # binaryExpr
  | left=expr op=( PLUS | MINUS ) right=expr                        # binaryExpr
  | left=expr op=( LT | LE | GT | GE | EQ | NE ) right=expr         # binaryExpr
  | left=expr NOT? IN right=expr                                    # membershipExpr
  | left=expr op=( MATCH | NOT_MATCH ) right=expr                   # binaryExpr
  | left=expr op=AND right=expr                                     # binaryExpr
  | left=expr op=OR right=expr                                      # binaryExpr
  | IF condition=expr THEN then_value=expr ELSE else_value=expr     # conditionalExpr
  ;

primary
  : value=literal                                                   # literalPrimary
  | quantifier=( ANY | ALL | COUNT ) LPAREN variable=name IN collection=expr ( WHERE filter=expr )? RPAREN # quantifierPrimary
  | function=name LPAREN value=expr FOR variable=name IN collection=expr ( WHERE filter=expr )? RPAREN # aggregatePrimary
  | function=name LPAREN arguments? RPAREN                          # callPrimary
  | identifier=name                                                 # namePrimary
  | TODAY                                                           # todayPrimary
  | LPAREN inner=expr RPAREN                                        # parenPrimary
  | LBRACK ( items+=expr ( COMMA items+=expr )* )? RBRACK           # listPrimary
  ;

arguments : items+=argument ( COMMA items+=argument )* ;
argument  : ( label=name COLON )? value=expr ;

literal : STRING | NUMBER | DURATION | DATE | REGEX | TRUE | FALSE ;

name : IDENT ;

// After a dot every keyword is a field or method name (`r.message`, `c.score`), so the
// language can grow new clauses without taking names from records.
fieldName
  : IDENT | TITLE | URGENCY | SCORE | REASON | MESSAGE | TARGET | RISK | PACKAGE | IMPORT
  | PARAM | DEF | RULE | ANY | ALL | COUNT | AS | FOR | IN | WHERE | WHEN | AND | OR | NOT
  | IF | THEN | ELSE | TRUE | FALSE | REQUIRES | CONFLICTS | WITH | ADVISORY | AFFECTS | FIXED
  | CVSS | EXPLOITED | SINCE | SUMMARY | ALIASES | URL | SUPPRESS | UNTIL | BECAUSE | TEST
  | TODAY | COMPONENT | EOL | RELEASE | EXPECT | NO | ON
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
SUMMARY   : 'summary' ;
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
FALSE   : 'false' ;

DATE     : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
DURATION : DIGIT+ [dw] ;
NUMBER   : DIGIT+ ( '.' DIGIT+ )? ;
STRING   : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
REGEX    : '/' {regexAllowed()}? ( '\\' ~[\r\n] | ~[/\\\r\n] )+ '/' [ims]* ;
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
