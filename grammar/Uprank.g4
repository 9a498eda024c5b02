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
qualifiedName : name ( DOT name )* ;

declaration
  : paramDecl
  | defDecl
  | ruleDecl
  ;

paramDecl : PARAM name ASSIGN expr ;
defDecl   : DEF name LPAREN ( name ( COMMA name )* )? RPAREN ASSIGN expr ;
ruleDecl  : RULE name LBRACE ruleClause* RBRACE ;

ruleClause
  : TITLE expr                                  # titleClause
  | FOR binding ( COMMA binding )* ( WHERE expr )? # forClause
  | WHEN expr                                   # whenClause
  | URGENCY expr                                # urgencyClause
  | SCORE expr                                  # scoreClause
  | REASON name                                 # reasonClause
  | MESSAGE expr                                # messageClause
  | TARGET expr                                 # targetClause
  | RISK name expr                              # riskClause
  ;

binding : name IN expr ;

// A whole expression on its own: string interpolations are parsed with it.
standaloneExpr : expr EOF ;

expr
  : primary                                                         # primaryExpr
  | expr DOT name                                                   # fieldExpr
  | expr DOT name LPAREN arguments? RPAREN                          # methodExpr
  | expr LBRACK expr RBRACK                                         # indexExpr
  | op=( MINUS | NOT ) expr                                         # unaryExpr
  | expr op=( STAR | SLASH | PERCENT ) expr                         # binaryExpr
  | expr op=( PLUS | MINUS ) expr                                   # binaryExpr
  | expr op=( LT | LE | GT | GE | EQ | NE ) expr                    # binaryExpr
  | expr NOT? IN expr                                               # membershipExpr
  | expr op=( MATCH | NOT_MATCH ) expr                              # binaryExpr
  | expr op=AND expr                                                # binaryExpr
  | expr op=OR expr                                                 # binaryExpr
  | IF expr THEN expr ELSE expr                                     # conditionalExpr
  ;

primary
  : literal                                                         # literalPrimary
  | quantifier=( ANY | ALL | COUNT ) LPAREN name IN expr ( WHERE expr )? RPAREN # quantifierPrimary
  | name LPAREN arguments? RPAREN                                   # callPrimary
  | name                                                            # namePrimary
  | LPAREN expr RPAREN                                              # parenPrimary
  | LBRACK ( expr ( COMMA expr )* )? RBRACK                         # listPrimary
  ;

arguments : argument ( COMMA argument )* ;
argument  : ( name COLON )? expr ;

literal : STRING | NUMBER | DURATION | DATE | REGEX | TRUE | FALSE ;

// Clause words are keywords only where a clause starts; elsewhere they are names
// (`c.score`, `r.message`), so the language can grow without stealing field names.
name
  : IDENT | TITLE | URGENCY | SCORE | REASON | MESSAGE | TARGET | RISK | PACKAGE | IMPORT
  | PARAM | DEF | RULE | ANY | ALL | COUNT | AS
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
MATCH : '~' ; NOT_MATCH : '!~' ;
PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ; PERCENT : '%' ;

COMMENT    : '#' ~[\r\n]* -> channel(HIDDEN) ;
WHITESPACE : [ \t\r\n]+ -> channel(HIDDEN) ;
// Anything else becomes a token the parser rejects with a precise position.
UNKNOWN_CHAR : . ;

fragment DIGIT : [0-9] ;
