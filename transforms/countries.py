"""Country names (casefolded), with the short and older forms news uses.

Why a list: a sports team named after its town or state is an organisation ("Atlanta 6 Chicago
5"), a national team is its country ("Romania beat Lithuania"), and the small spaCy model calls
both GPE. Only countries and the home nations that field national teams are here, no towns.
"""
COUNTRIES = frozenset(name.strip() for name in """
afghanistan, albania, algeria, andorra, angola, antigua, argentina, armenia, australia, austria,
azerbaijan, bahamas, bahrain, bangladesh, barbados, belarus, belgium, belize, benin, bhutan, bolivia,
bosnia, bosnia and herzegovina, bosnia-herzegovina, botswana, brazil, brunei, bulgaria, burkina faso,
burundi, cambodia, cameroon, canada, cape verde, central african republic, chad, chile, china, colombia,
comoros, congo, costa rica, croatia, cuba, cyprus, czech republic, czechia, czechoslovakia, denmark,
djibouti, dominica, dominican republic, ecuador, egypt, el salvador, equatorial guinea, eritrea,
estonia, eswatini, ethiopia, fiji, finland, france, gabon, gambia, georgia, germany, ghana, greece,
grenada, guatemala, guinea, guinea-bissau, guyana, haiti, honduras, hungary, iceland, india, indonesia,
iran, iraq, ireland, israel, italy, ivory coast, jamaica, japan, jordan, kazakhstan, kenya, kiribati,
kosovo, kuwait, kyrgyzstan, laos, latvia, lebanon, lesotho, liberia, libya, liechtenstein, lithuania,
luxembourg, macedonia, north macedonia, madagascar, malawi, malaysia, maldives, mali, malta,
marshall islands, mauritania, mauritius, mexico, micronesia, moldova, monaco, mongolia, montenegro,
morocco, mozambique, myanmar, burma, namibia, nauru, nepal, netherlands, holland, new zealand,
nicaragua, niger, nigeria, north korea, norway, oman, pakistan, palau, palestine, panama,
papua new guinea, paraguay, peru, philippines, poland, portugal, qatar, romania, russia,
russian federation, rwanda, samoa, san marino, saudi arabia, senegal, serbia, seychelles,
sierra leone, singapore, slovakia, slovenia, solomon islands, somalia, south africa, south korea,
korea, south sudan, spain, sri lanka, sudan, suriname, surinam, swaziland, sweden, switzerland, syria,
taiwan, tajikistan, tanzania, thailand, togo, tonga, trinidad, trinidad and tobago, tunisia, turkey,
turkmenistan, tuvalu, uganda, ukraine, united arab emirates, uae, united kingdom, uk, britain,
great britain, england, scotland, wales, northern ireland, faroe islands, faroes, united states,
united states of america, usa, u.s., u.s.a., us, america, uruguay, uzbekistan, vanuatu, vatican,
venezuela, vietnam, yemen, yugoslavia, zaire, zambia, zimbabwe, soviet union, ussr, hong kong,
west germany, east germany, ivory coast, cote d'ivoire, puerto rico
""".replace("\n", " ").split(","))
