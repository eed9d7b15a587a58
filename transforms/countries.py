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

# Nationalities, peoples and religions (OntoNotes NORP), adjectives and nouns; plurals are added.
_NORP_WORDS = """
afghan albanian algerian american andorran angolan argentine argentinian armenian australian austrian
azerbaijani azeri bahraini bangladeshi belarussian belarusian belgian beninese bolivian bosnian brazilian
british briton bulgarian burmese burundian cambodian cameroonian canadian chadian chilean chinese colombian
congolese croatian croat cuban cypriot czech dane danish dutch dutchman ecuadorean ecuadorian egyptian
english englishman eritrean estonian ethiopian european fijian filipino finn finnish french frenchman
gabonese georgian german ghanaian greek guatemalan guinean haitian honduran hungarian icelandic indian
indonesian iranian iraqi irish irishman israeli italian ivorian jamaican japanese jordanian kazakh kenyan
korean kosovar kuwaiti kyrgyz laotian latvian lebanese liberian libyan lithuanian luxembourger macedonian
malagasy malawian malaysian malian maltese mauritanian mexican moldovan monegasque mongolian montenegrin
moroccan mozambican namibian nepalese new zealander nicaraguan nigerian nigerien norwegian omani pakistani
palestinian panamanian paraguayan peruvian philippine polish pole portuguese qatari romanian russian
rwandan salvadoran saudi scot scottish scotsman senegalese serb serbian sierra leonean singaporean slovak
slovakian slovene slovenian somali south african spaniard spanish sri lankan sudanese surinamese swede
swedish swiss syrian taiwanese tajik tanzanian thai togolese tunisian turk turkish turkmen ugandan
ukrainian uruguayan uzbek venezuelan vietnamese welsh welshman yemeni yugoslav zairean zambian
zimbabwean czechs
arab asian african latin kurd kurdish chechen basque catalan corsican flemish walloon tamil sikh hindu
muslim moslem christian catholic protestant jewish jew buddhist islamic sunni shi'ite shiite hutu tutsi
pashtun uighur tibetan berber bedouin maori aboriginal inuit zulu xhosa afrikaner cossack tatar
""".split("\n")


def _with_plurals(words: list[str]) -> frozenset[str]:
    out = set()
    for line in words:
        for word in line.split():
            out.add(word)
            if not word.endswith(("sh", "ch", "ese", "s", "x")):
                out.add(word + "s")
    for two in ("new zealander", "south african", "sierra leonean", "sri lankan"):
        out.update({two, two + "s"})
    return frozenset(out - {"new", "zealander", "south", "sierra", "leonean", "sri", "lankan"})


NORP_NAMES = _with_plurals(_NORP_WORDS) - COUNTRIES
# The nationalities alone (the first block): safe to find where the model missed them.
NATIONALITIES = _with_plurals(_NORP_WORDS[:_NORP_WORDS.index("zimbabwean czechs") + 1]) - COUNTRIES
